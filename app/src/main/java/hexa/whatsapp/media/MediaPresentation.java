package hexa.whatsapp.media;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * How a stored file is answered to a browser, decided so that a customer's file can never act as
 * part of the CRM: only well-known image, audio and video types are shown inline, under their own
 * type; everything else is a download, and anything a browser could run (HTML, SVG, XML, scripts)
 * or that does not even parse is sent as {@code application/octet-stream}. The filename a customer
 * chose is reduced to a plain name.
 *
 * @param contentType        the Content-Type to answer
 * @param contentDisposition the Content-Disposition header
 */
record MediaPresentation(MediaType contentType, String contentDisposition) {

    private static final Set<String> INLINE_KINDS = Set.of("image", "audio", "video", "sticker");
    private static final Set<String> INLINE_TYPES = Set.of(
            "image/jpeg", "image/png", "image/webp", "image/gif",
            "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/opus",
            "video/mp4", "video/3gpp");
    // Types a browser renders as a document or runs; substrings catch their variants (+xml, x-javascript...).
    private static final String[] ACTIVE = {"html", "xml", "svg", "script", "css", "x-shockwave-flash", "multipart/",
            "text/vtt"};
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/webp", "webp"), Map.entry("image/gif", "gif"),
            Map.entry("audio/aac", "aac"), Map.entry("audio/amr", "amr"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/mp4", "m4a"),
            Map.entry("audio/ogg", "ogg"), Map.entry("video/mp4", "mp4"), Map.entry("video/3gpp", "3gp"),
            Map.entry("application/pdf", "pdf"), Map.entry("text/plain", "txt"));
    private static final int MAX_NAME = 120;
    private static final Set<String> RESERVED_NAMES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5",
            "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    static MediaPresentation of(String kind, String mimeType, String filename) {
        MediaType type = parse(mimeType);
        String base = type == null ? "" : (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        if (type != null && INLINE_KINDS.contains(kind) && INLINE_TYPES.contains(base)) {
            return new MediaPresentation(type, "inline");
        }
        MediaType answered = type == null || isActive(base) || type.isWildcardType() || type.isWildcardSubtype()
                ? MediaType.APPLICATION_OCTET_STREAM : type;
        return new MediaPresentation(answered, attachment(safeFilename(filename, kind, base)));
    }

    static boolean isActive(String baseType) {
        for (String marker : ACTIVE) {
            if (baseType.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A plain file name: the last path segment only, letters, digits and a few punctuation marks,
     * no leading dots, no names Windows reserves, at most 120 characters (the extension kept).
     */
    static String safeFilename(String given, String kind, String baseType) {
        String name = given == null ? "" : Normalizer.normalize(given, Normalizer.Form.NFC);
        name = name.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> {
            // Marks and the zero-width joiners belong to words in Devanagari, Gujarati and other scripts.
            int type = Character.getType(c);
            boolean plain = Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || c == 0x200C || c == 0x200D
                    || c == '.' || c == '-' || c == '_' || c == ' ' || c == '(' || c == ')' || c == '+' || c == ',';
            out.appendCodePoint(plain ? c : '_');
        });
        String cleaned = out.toString().replaceAll("[ _]{2,}", "_").replaceAll("\\.{2,}", ".")
                .replaceAll("^[ ._-]+", "").replaceAll("[ .]+$", "");
        if (cleaned.length() > MAX_NAME) {
            int dot = cleaned.lastIndexOf('.');
            String extension = dot > 0 && cleaned.length() - dot <= 10 ? cleaned.substring(dot) : "";
            cleaned = cleaned.substring(0, MAX_NAME - extension.length()) + extension;
        }
        String stem = cleaned.contains(".") ? cleaned.substring(0, cleaned.indexOf('.')) : cleaned;
        if (RESERVED_NAMES.contains(stem.toLowerCase(Locale.ROOT))) {
            cleaned = "file-" + cleaned;
        }
        if (cleaned.isEmpty()) {
            String extension = EXTENSIONS.get(baseType);
            cleaned = (kind == null ? "file" : kind) + (extension == null ? "" : "." + extension);
        }
        return cleaned;
    }

    /** RFC 6266: an ASCII name for old clients, the UTF-8 name (RFC 5987) for the others. */
    static String attachment(String safeName) {
        StringBuilder ascii = new StringBuilder();
        safeName.codePoints().forEach(c -> ascii.append(c < 0x7f ? (char) c : '_'));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(safeName);
    }

    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static MediaType parse(String mimeType) {
        if (mimeType == null || mimeType.isBlank()) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(mimeType.trim());
            // Parameters (codecs=opus) are kept; a charset the customer chose is not worth trusting.
            return type.getCharset() == null ? type : new MediaType(type.getType(), type.getSubtype());
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }
}
