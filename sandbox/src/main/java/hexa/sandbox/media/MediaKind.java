package hexa.sandbox.media;

import java.util.List;
import java.util.Locale;

/** Meta's supported media types and size limits per message type. */
public enum MediaKind {
    AUDIO(List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"), 16L * 1024 * 1024),
    DOCUMENT(List.of("text/plain", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/pdf"),
            100L * 1024 * 1024),
    IMAGE(List.of("image/jpeg", "image/png"), 5L * 1024 * 1024),
    // 500 KB is the animated limit; a static sticker above 100 KB is also refused (see maxBytes).
    STICKER(List.of("image/webp"), 500L * 1024),
    VIDEO(List.of("video/3gpp", "video/mp4"), 16L * 1024 * 1024);

    private final List<String> mimeTypes;
    private final long maxBytes;

    MediaKind(List<String> mimeTypes, long maxBytes) {
        this.mimeTypes = mimeTypes;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public boolean accepts(String mimeType) {
        return mimeTypes.contains(baseType(mimeType));
    }

    /** The kind an uploaded file belongs to, by its MIME type; null when WhatsApp does not take it. */
    public static MediaKind ofMimeType(String mimeType) {
        String base = baseType(mimeType);
        for (MediaKind kind : values()) {
            if (kind.mimeTypes.contains(base)) {
                return kind;
            }
        }
        return null;
    }

    /** The kind a message type needs ("image", "sticker"...), or null for non-media types. */
    public static MediaKind ofMessageType(String type) {
        for (MediaKind kind : values()) {
            if (kind.messageType().equals(type)) {
                return kind;
            }
        }
        return null;
    }

    public String messageType() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String baseType(String mimeType) {
        if (mimeType == null) {
            return "";
        }
        int semicolon = mimeType.indexOf(';');
        return (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
