package hexa.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.platform.web.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * A workbook's shared strings (every distinct text, read into memory before the sheet) are counted as they stream
 * past and refused beyond the limits, so a small, well-compressed file cannot fill the heap. The limits are small
 * here; the installation's (a million texts, 32 million characters) are the defaults of {@link ImportFile.Limits}.
 */
class ImportFileTest {

    private static final ImportFile.Limits SMALL = new ImportFile.Limits(1_000, 10, 10_000, 1_000, 100_000);

    @Test
    void a_workbook_within_the_limits_is_read() {
        List<List<String>> read = new ArrayList<>();
        ImportFile.read(sharedStrings(500, 20, 26), ImportFile.Format.XLSX, SMALL, new ImportFile.Rows() {
            @Override
            public void header(int number, List<String> cells) {
                read.add(cells);
            }

            @Override
            public void row(int number, List<String> cells) {
                read.add(cells);
            }
        });
        assertThat(read).containsExactly(List.of("Name", "Phone"), List.of("Asha", "+919876500099"));
    }

    @Test
    void too_many_texts_or_too_many_characters_are_refused_before_they_are_kept() {
        for (byte[] workbook : List.of(sharedStrings(SMALL.maxSharedStrings() + 1, 6, 26), sharedStrings(20, 6_000, 2))) {
            assertThatThrownBy(() -> ImportFile.read(workbook, ImportFile.Format.XLSX, SMALL, new ImportFile.Rows() {
                @Override
                public void header(int number, List<String> cells) {
                    throw new AssertionError("nothing is read");
                }

                @Override
                public void row(int number, List<String> cells) {
                    throw new AssertionError("nothing is read");
                }
            })).isInstanceOf(UserError.class).satisfies(e -> assertThat(((UserError) e).messageKey()).isEqualTo("contacts.import.file.too-many-texts"));
        }
    }

    /**
     * A small workbook (a header of Name and Phone, one row) whose shared strings are replaced by {@code count} random
     * texts of {@code length} letters from the first {@code letters} of the alphabet: random enough not to look like
     * a zip bomb, and far more than a list of contacts holds.
     */
    private static byte[] sharedStrings(int count, int length, int letters) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream plain = new ByteArrayOutputStream()) {
            XSSFRow head = workbook.createSheet("S").createRow(0);
            head.createCell(0).setCellValue("Name");
            head.createCell(1).setCellValue("Phone");
            XSSFRow row = workbook.getSheetAt(0).createRow(1);
            row.createCell(0).setCellValue("Asha");
            row.createCell(1).setCellValue("+919876500099");
            workbook.write(plain);
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            Random random = new Random(7);
            try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(plain.toByteArray()));
                 ZipOutputStream out = new ZipOutputStream(result)) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    byte[] content = in.readAllBytes();
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    if (entry.getName().equals("xl/sharedStrings.xml")) {
                        java.io.Writer xml = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                        xml.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                                + "<si><t>Name</t></si><si><t>Phone</t></si><si><t>Asha</t></si><si><t>+919876500099</t></si>");
                        char[] text = new char[length];
                        for (int i = 0; i < count; i++) {
                            for (int c = 0; c < length; c++) {
                                text[c] = (char) ('a' + random.nextInt(letters));
                            }
                            xml.write("<si><t>");
                            xml.write(text);
                            xml.write("</t></si>");
                        }
                        xml.write("</sst>");
                        xml.flush();
                    } else {
                        out.write(content);
                    }
                    out.closeEntry();
                }
            }
            return result.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
