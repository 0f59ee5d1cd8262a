package hexa.whatsapp.media;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The real type of a file, read from its bytes: the client's Content-Type and the file name are
 * claims, and a file that claims to be a photo while holding a PDF or a web page is refused rather
 * than passed on. Only the types WhatsApp accepts are recognised ({@link MediaKind}).
 */
final class MediaTypes {

    /** How much of a file's start is read to recognise it. */
    static final int HEAD = 64 * 1024;

    private static final Set<String> NO_CLAIM = Set.of("", "application/octet-stream", "binary/octet-stream",
            "application/unknown", "application/x-download");
    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    private MediaTypes() {
    }

    /**
     * Whether the type can only be told from the whole file: a ZIP (an Office document names its
     * parts anywhere in it) or something without a binary signature (plain text must be checked to
     * the end). Either is a document, whatever it turns out to be.
     */
    static boolean needsWholeFile(byte[] head) {
        return startsWith(head, 0, "PK\u0003\u0004") || signatureType(head, "", "").isEmpty();
    }

    /**
     * The MIME type the bytes are, among those WhatsApp accepts; empty when they are none of them.
     * {@code declared} and {@code filename} only choose between types the bytes cannot tell apart
     * (an MP4 of sound or of video; the three old Office formats).
     */
    static Optional<String> sniff(byte[] bytes, String declared, String filename) {
        String claim = MediaKind.baseType(declared);
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        Optional<String> binary = signatureType(bytes, claim, name);
        if (binary.isPresent()) {
            return binary;
        }
        if (("text/plain".equals(claim) || name.endsWith(".txt")) && isPlainText(bytes)) {
            return Optional.of("text/plain");
        }
        return Optional.empty();
    }

    /** Whether a client's Content-Type says anything at all (browsers send octet-stream for unknown files). */
    static boolean isClaim(String declared) {
        return !NO_CLAIM.contains(MediaKind.baseType(declared));
    }

    /**
     * Whether a claimed type and the real one are the same sort of thing: both images (photos and
     * stickers), both sound, both video, or both documents. Browsers name types loosely (audio/x-m4a,
     * image/jpg), so the top-level type is compared, not the exact name.
     */
    static boolean sameFamily(String claimed, String real) {
        return family(MediaKind.baseType(claimed)).equals(family(real));
    }

    private static String family(String type) {
        int slash = type.indexOf('/');
        String top = slash < 0 ? type : type.substring(0, slash);
        switch (top) {
            case "image":
            case "audio":
            case "video":
                return top;
            default:
                return "document";
        }
    }

    /** Whether a WebP file is animated: its VP8X header has the animation flag, or it has an ANIM chunk. */
    static boolean isAnimatedWebp(byte[] head) {
        if (startsWith(head, 12, "VP8X") && head.length > 20 && (head[20] & 0x02) != 0) {
            return true;
        }
        return indexOf(head, "ANIM".getBytes(StandardCharsets.US_ASCII), Math.min(head.length, 4096)) >= 0;
    }

    private static Optional<String> signatureType(byte[] b, String claim, String name) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(b, 0, "\u0089PNG\r\n\u001a\n")) {
            return Optional.of("image/png");
        }
        if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
            return Optional.of("image/webp");
        }
        if (startsWith(b, 0, "OggS")) {
            // WhatsApp takes Ogg only with the Opus codec; its header packet opens the first page.
            return indexOf(b, "OpusHead".getBytes(StandardCharsets.US_ASCII), Math.min(b.length, 512)) >= 0
                    ? Optional.of("audio/ogg") : Optional.empty();
        }
        if (startsWith(b, 0, "#!AMR")) {
            return Optional.of("audio/amr");
        }
        if (startsWith(b, 0, "ID3")) {
            return Optional.of("audio/mpeg");
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF) {
            int second = b[1] & 0xff;
            if ((second & 0xF6) == 0xF0) {
                return Optional.of("audio/aac"); // ADTS frame: sync word, layer 00
            }
            if ((second & 0xE0) == 0xE0 && (second & 0x06) != 0) {
                return Optional.of("audio/mpeg"); // MPEG audio frame: sync word, layer I-III
            }
        }
        if (startsWith(b, 4, "ftyp") && b.length >= 12) {
            String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
            if (brand.startsWith("3gp") || brand.startsWith("3g2")) {
                return Optional.of("video/3gpp");
            }
            if (brand.startsWith("M4A") || brand.startsWith("M4B")) {
                return Optional.of("audio/mp4");
            }
            if (brand.startsWith("qt")) {
                return Optional.empty(); // QuickTime .mov: WhatsApp takes MP4 only
            }
            return Optional.of("audio/mp4".equals(claim) || "audio/x-m4a".equals(claim) || name.endsWith(".m4a")
                    ? "audio/mp4" : "video/mp4");
        }
        if (startsWith(b, 0, "%PDF-")) {
            return Optional.of("application/pdf");
        }
        if (startsWith(b, 0, "\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1")) {
            return oldOffice(claim, name);
        }
        if (startsWith(b, 0, "PK\u0003\u0004")) {
            return officeOpenXml(b);
        }
        return Optional.empty();
    }

    /** Word, Excel and PowerPoint 97-2003 share one container; the claim or the file name tells which. */
    private static Optional<String> oldOffice(String claim, String name) {
        if ("application/msword".equals(claim) || name.endsWith(".doc")) {
            return Optional.of("application/msword");
        }
        if ("application/vnd.ms-excel".equals(claim) || name.endsWith(".xls")) {
            return Optional.of("application/vnd.ms-excel");
        }
        if ("application/vnd.ms-powerpoint".equals(claim) || name.endsWith(".ppt")) {
            return Optional.of("application/vnd.ms-powerpoint");
        }
        return Optional.empty();
    }

    /** A .docx, .xlsx or .pptx is a ZIP with a content-types part and its application's folder. */
    private static Optional<String> officeOpenXml(byte[] b) {
        if (indexOf(b, "[Content_Types].xml".getBytes(StandardCharsets.US_ASCII), b.length) < 0) {
            return Optional.empty();
        }
        if (indexOf(b, "word/".getBytes(StandardCharsets.US_ASCII), b.length) >= 0) {
            return Optional.of(DOCX);
        }
        if (indexOf(b, "xl/".getBytes(StandardCharsets.US_ASCII), b.length) >= 0) {
            return Optional.of(XLSX);
        }
        if (indexOf(b, "ppt/".getBytes(StandardCharsets.US_ASCII), b.length) >= 0) {
            return Optional.of(PPTX);
        }
        return Optional.empty();
    }

    /** UTF-8 without NUL or other control characters, and not markup (a web page is not plain text). */
    private static boolean isPlainText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return false;
            }
        }
        return !text.stripLeading().startsWith("<");
    }

    private static boolean startsWith(byte[] b, int offset, String latin1) {
        if (b.length < offset + latin1.length()) {
            return false;
        }
        for (int i = 0; i < latin1.length(); i++) {
            if ((b[offset + i] & 0xff) != latin1.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int limit) {
        outer:
        for (int i = 0; i + needle.length <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
