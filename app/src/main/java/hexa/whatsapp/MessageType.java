package hexa.whatsapp;

import java.util.Locale;

/**
 * What kind of message it is, as Meta names it. A type Meta adds after this list (or its {@code unknown}) is
 * {@code UNSUPPORTED}, as Meta itself calls a message it cannot deliver: the message is kept with everything Meta
 * sent (its content), and nothing that reads the type has to guess at a name it does not know.
 */
public enum MessageType {
    TEXT, IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER, LOCATION, CONTACTS, INTERACTIVE, BUTTON, ORDER, REACTION, TEMPLATE, SYSTEM,
    UNSUPPORTED;

    /** The type Meta names so (any case); {@code UNSUPPORTED} for a name not known here. */
    public static MessageType of(String name) {
        if (name != null) {
            for (MessageType type : values()) {
                if (type.name().equalsIgnoreCase(name)) {
                    return type;
                }
            }
        }
        return UNSUPPORTED;
    }

    /** As Meta and the API write it: {@code "image"}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A message that carries a file (an image, audio, a video, a document or a sticker). */
    public boolean isMedia() {
        return this == IMAGE || this == AUDIO || this == VIDEO || this == DOCUMENT || this == STICKER;
    }
}
