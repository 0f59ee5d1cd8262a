package hexa.contacts.imports;

import hexa.platform.web.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.springframework.http.HttpStatus;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * A file of contacts as people bring it: a CSV (UTF-8 with or without a byte-order mark; comma,
 * semicolon or tab between cells, found from the first line) or the first sheet of an XLSX workbook.
 * The first row that is not blank names the columns; blank rows are skipped; rows are numbered as a
 * spreadsheet shows them. Cells are read as text and nothing in them is ever evaluated.
 *
 * <p>Anything else is refused with a plain reason before any of it is used: a binary file, another
 * encoding, an old .xls workbook, a damaged or over-compressed (zip bomb) workbook, too many rows or
 * columns, an endless cell. XLSX is read as a stream (POI's SAX event reader, never the whole workbook
 * as objects), with POI's protection against zip bombs and its XML parser that refuses external entities.
 */
final class ImportFile {

    enum Format {
        CSV, XLSX;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Format of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param maxSharedStrings    distinct texts a workbook may hold (its shared strings, read into memory first)
     * @param maxSharedCharacters their characters, all together
     */
    record Limits(int maxRows, int maxColumns, int maxCellChars, int maxSharedStrings, long maxSharedCharacters) {

        Limits(int maxRows, int maxColumns, int maxCellChars) {
            this(maxRows, maxColumns, maxCellChars, MAX_SHARED_STRINGS, MAX_SHARED_CHARACTERS);
        }
    }

    /** Receives the header row once, then every data row in order. */
    interface Rows {
        void header(int number, List<String> cells);

        void row(int number, List<String> cells);
    }

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    private static final int SNIFF = 64 * 1024;
    /** An entry of a workbook may not unpack to more than this (the whole file is at most tens of megabytes). */
    private static final long MAX_XLSX_ENTRY = 512L * 1024 * 1024;
    /**
     * A workbook keeps each distinct text once, in its shared strings, which are read into memory before the sheet.
     * They compress so well that a 20 MB file could unpack to millions of strings and hundreds of megabytes of heap:
     * more than these (the defaults of {@link Limits}) is refused before any is kept (a million rows of contacts
     * fit; larger lists go as CSV, which is read a row at a time). Worst case held: about 100 MB.
     */
    static final int MAX_SHARED_STRINGS = 1_000_000;
    static final long MAX_SHARED_CHARACTERS = 32L * 1024 * 1024;

    static {
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(MAX_XLSX_ENTRY);
        ZipSecureFile.setMaxFileCount(1_000);
    }

    private ImportFile() {
    }

    /** What kind of file the bytes are; refuses what is neither a UTF-8 text nor an XLSX workbook. */
    static Format detect(byte[] bytes, String filename) {
        if (bytes.length == 0) {
            throw refused("contacts.import.file.empty");
        }
        if (startsWith(bytes, ZIP)) {
            return Format.XLSX;
        }
        if (startsWith(bytes, OLE2)) {
            throw refused("contacts.import.file.old-excel");
        }
        if (startsWith(bytes, new byte[] {(byte) 0xFF, (byte) 0xFE}) || startsWith(bytes, new byte[] {(byte) 0xFE, (byte) 0xFF})) {
            throw refused("contacts.import.file.utf16");
        }
        int control = 0;
        int sniffed = Math.min(bytes.length, SNIFF);
        for (int i = 0; i < sniffed; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                throw refused("contacts.import.file.binary");
            }
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                control++;
            }
        }
        if (control > sniffed / 100) {
            throw refused("contacts.import.file.binary");
        }
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (name.endsWith(".xlsx") || name.endsWith(".xls")) {
            // Text bytes under a workbook's name: most likely a web page or a renamed file.
            throw refused("contacts.import.file.not-a-workbook");
        }
        return Format.CSV;
    }

    static void read(byte[] bytes, Format format, Limits limits, Rows rows) {
        if (format == Format.XLSX) {
            readXlsx(bytes, limits, rows);
        } else {
            readCsv(bytes, limits, rows);
        }
    }

    // ---------------------------------------------------------------- CSV

    private static void readCsv(byte[] bytes, Limits limits, Rows rows) {
        String text = utf8(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        char delimiter;
        int skippedLines = 0;
        String firstLine = text.lines().findFirst().orElse("");
        if (firstLine.length() == 5 && firstLine.toLowerCase(Locale.ROOT).startsWith("sep=")) {
            // Excel's hint line ("sep=;") names the delimiter and is not a row.
            delimiter = firstLine.charAt(4);
            text = text.substring(text.indexOf('\n') + 1);
            skippedLines = 1;
        } else {
            delimiter = delimiter(firstLine);
        }
        CSVFormat csv = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false).get();
        Sink sink = new Sink(limits, rows);
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(csv).get()) {
            for (CSVRecord record : parser) {
                List<String> cells = new ArrayList<>(record.size());
                for (String value : record) {
                    cells.add(value);
                }
                sink.accept((int) record.getRecordNumber() + skippedLines, cells);
            }
        } catch (UncheckedIOException | IOException | IllegalStateException e) {
            // commons-csv reports a quote that never closes (and similar damage) this way.
            throw refused("contacts.import.file.bad-csv", String.valueOf(sink.lastRow + 1));
        }
        sink.finish();
    }

    /** The character between cells: whichever of comma, semicolon and tab the first line has most of, outside quotes. */
    static char delimiter(String firstLine) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < firstLine.length(); i++) {
            char c = firstLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == ',') {
                    commas++;
                } else if (c == ';') {
                    semicolons++;
                } else if (c == '\t') {
                    tabs++;
                }
            }
        }
        if (tabs > commas && tabs >= semicolons) {
            return '\t';
        }
        return semicolons > commas ? ';' : ',';
    }

    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw refused("contacts.import.file.encoding", String.valueOf(line));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    // ---------------------------------------------------------------- XLSX

    private static void readXlsx(byte[] bytes, Limits limits, Rows rows) {
        Sink sink = new Sink(limits, rows);
        try (OPCPackage workbook = OPCPackage.open(new ByteArrayInputStream(bytes))) {
            XSSFReader reader = new XSSFReader(workbook);
            checkSharedStrings(workbook, limits);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(workbook, false);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw refused("contacts.import.file.no-rows");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, new SheetRows(sink, limits), new TextFormatter(), false));
                parser.parse(new InputSource(sheet));
            }
        } catch (UserError e) {
            throw e;
        } catch (SAXException e) {
            if (e.getCause() instanceof UserError userError) {
                throw userError;
            }
            throw refused("contacts.import.file.bad-xlsx");
        } catch (Exception e) {
            // A damaged zip, a zip bomb, a workbook without its parts: POI says so with various exceptions.
            if (e.getCause() instanceof UserError userError) {
                throw userError;
            }
            throw refused("contacts.import.file.bad-xlsx");
        }
        sink.finish();
    }

    /**
     * Counts the workbook's shared strings and their characters as they stream past (nothing kept), and refuses a
     * workbook with more than {@link #MAX_SHARED_STRINGS} or {@link #MAX_SHARED_CHARACTERS}.
     */
    private static void checkSharedStrings(OPCPackage workbook, Limits limits) throws Exception {
        for (org.apache.poi.openxml4j.opc.PackagePart part
                : workbook.getPartsByContentType(org.apache.poi.xssf.usermodel.XSSFRelation.SHARED_STRINGS.getContentType())) {
            try (InputStream in = part.getInputStream()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new org.xml.sax.helpers.DefaultHandler() {
                    private long strings;
                    private long characters;

                    @Override
                    public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes attributes) throws SAXException {
                        if ("si".equals(localName) && ++strings > limits.maxSharedStrings()) {
                            throw new SAXException(refused("contacts.import.file.too-many-texts", limits.maxSharedStrings()));
                        }
                    }

                    @Override
                    public void characters(char[] ch, int start, int length) throws SAXException {
                        characters += length;
                        if (characters > limits.maxSharedCharacters()) {
                            throw new SAXException(refused("contacts.import.file.too-many-texts", limits.maxSharedStrings()));
                        }
                    }
                });
                parser.parse(new InputSource(in));
            }
        }
    }

    /** Cells of a sheet, in order, with the gaps of empty cells filled. */
    private static final class SheetRows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Sink sink;
        private final Limits limits;
        private List<String> cells = new ArrayList<>();

        SheetRows(Sink sink, Limits limits) {
            this.sink = sink;
            this.limits = limits;
        }

        @Override
        public void startRow(int rowNum) {
            cells = new ArrayList<>();
        }

        @Override
        public void endRow(int rowNum) {
            sink.accept(rowNum + 1, cells);
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int column = reference == null ? cells.size() : new CellReference(reference).getCol();
            if (column >= limits.maxColumns()) {
                throw refused("contacts.import.file.too-many-columns", String.valueOf(limits.maxColumns()));
            }
            while (cells.size() < column) {
                cells.add("");
            }
            cells.add(value == null ? "" : value);
        }
    }

    /**
     * Shows cells as the spreadsheet does, except whole numbers in the General format, which are
     * written out in full: a phone number typed as a number must not become 9.19877E+11.
     */
    private static final class TextFormatter extends DataFormatter {
        TextFormatter() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if ((formatString == null || "General".equalsIgnoreCase(formatString)) && value == Math.rint(value) && Math.abs(value) < 1e17) {
                return Long.toString((long) value);
            }
            return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
        }
    }

    // ---------------------------------------------------------------- both

    /** Checks the limits, skips blank rows, and hands on the header and then the data rows. */
    private static final class Sink {
        private final Limits limits;
        private final Rows rows;
        private boolean headerSeen;
        private int dataRows;
        int lastRow;

        Sink(Limits limits, Rows rows) {
            this.limits = limits;
            this.rows = rows;
        }

        void accept(int number, List<String> cells) {
            lastRow = number;
            boolean blank = true;
            for (String cell : cells) {
                if (cell.length() > limits.maxCellChars()) {
                    throw refused("contacts.import.file.cell-too-long", String.valueOf(number), String.valueOf(limits.maxCellChars()));
                }
                if (!cell.isBlank()) {
                    blank = false;
                }
            }
            if (cells.size() > limits.maxColumns()) {
                throw refused("contacts.import.file.too-many-columns", String.valueOf(limits.maxColumns()));
            }
            if (blank) {
                return;
            }
            if (!headerSeen) {
                headerSeen = true;
                rows.header(number, cells);
                return;
            }
            if (++dataRows > limits.maxRows()) {
                throw refused("contacts.import.file.too-many-rows", String.valueOf(limits.maxRows()));
            }
            rows.row(number, cells);
        }

        void finish() {
            if (!headerSeen || dataRows == 0) {
                throw refused("contacts.import.file.no-rows");
            }
        }
    }

    static UserError refused(String key, Object... args) {
        return new UserError(HttpStatus.BAD_REQUEST, "file_refused", key, args);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
