package hexa.whatsapp.media;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of media WhatsApp sends, with the types and sizes Meta accepts for each (CONTRACT.md
 * section 7, Meta's media page). A sticker is 100 KB when static and 500 KB when animated.
 */
public enum MediaKind {
    IMAGE(List.of("image/jpeg", "image/png"), 5L * 1024 * 1024, true),
    AUDIO(List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"), 16L * 1024 * 1024, false),
    VIDEO(List.of("video/mp4", "video/3gpp"), 16L * 1024 * 1024, true),
    DOCUMENT(List.of("text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"), 100L * 1024 * 1024, true),
    STICKER(List.of("image/webp"), 500L * 1024, false);

    public static final long STATIC_STICKER_MAX = 100L * 1024;
    /** Meta's limit on a caption of an image, video or document. */
    public static final int MAX_CAPTION = 1024;

    private final List<String> mimeTypes;
    private final long maxBytes;
    private final boolean captioned;

    MediaKind(List<String> mimeTypes, long maxBytes, boolean captioned) {
        this.mimeTypes = mimeTypes;
        this.maxBytes = maxBytes;
        this.captioned = captioned;
    }

    /** The message type that carries this kind: image, audio, video, document or sticker. */
    public String messageType() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<String> mimeTypes() {
        return mimeTypes;
    }

    /** The largest file Meta takes of this kind (for a sticker: an animated one). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Whether Meta allows a caption (image, video and document do; audio and stickers do not). */
    public boolean takesCaption() {
        return captioned;
    }

    public static Optional<MediaKind> ofMessageType(String type) {
        for (MediaKind kind : values()) {
            if (kind.messageType().equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The kind whose list holds this MIME type (parameters ignored); empty for a type WhatsApp does not take. */
    public static Optional<MediaKind> ofMimeType(String mimeType) {
        String base = baseType(mimeType);
        for (MediaKind kind : values()) {
            if (kind.mimeTypes.contains(base)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    static String baseType(String mimeType) {
        if (mimeType == null) {
            return "";
        }
        int semicolon = mimeType.indexOf(';');
        return (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** "5 MB", "100 KB": a limit as people read it. */
    public static String readableSize(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}
