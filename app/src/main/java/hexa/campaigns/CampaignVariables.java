package hexa.campaigns;

import hexa.contacts.Contact;
import hexa.platform.web.UserError;
import hexa.whatsapp.MessageToSend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A campaign's template parameters per recipient: each placeholder takes a contact field ({@code name}, {@code firstName},
 * {@code phone}, {@code email}, {@code company}, {@code profileName}), a custom attribute (by key) or a fixed text, with a
 * fallback for contacts who have no value. A recipient left with a placeholder that has neither cannot get the message
 * (Meta refuses an empty parameter): they are excluded with {@code MISSING_VARIABLE}.
 */
public final class CampaignVariables {

    public static final List<String> FIELDS = List.of("name", "firstName", "phone", "email", "company", "profileName");
    public static final List<String> SOURCES = List.of("FIELD", "ATTRIBUTE", "TEXT", "MEDIA");
    /** The source of a media header's file: {@code key} is the id of an upload ({@code POST /api/v1/media}). */
    public static final String MEDIA = "MEDIA";
    static final int MAX_PARAMETERS = 20;
    static final int MAX_TEXT = 1024;

    private CampaignVariables() {
    }

    /**
     * One placeholder's value: {@code source} FIELD (a contact field named by {@code key}), ATTRIBUTE (a custom attribute's
     * key) or TEXT ({@code key} is the text itself); {@code fallback} when the contact has no value (null: none). In the
     * header of a template with an image, video or document header, source MEDIA: {@code key} is the upload's id, the same
     * file for every recipient.
     */
    public record Param(String source, String key, String fallback) {
        boolean media() {
            return MEDIA.equals(source);
        }
    }

    /**
     * The media header's parameter for an upload ({@link Param} of source MEDIA): Meta's media id for it on the sending
     * number, resolved by the dispatcher once per number.
     */
    @FunctionalInterface
    public interface HeaderFiles {
        MessageToSend.Parameter parameter(String uploadId);

        /** For checks and previews, where no message is sent: the file stands as a text naming it. */
        HeaderFiles UNRESOLVED = uploadId -> new MessageToSend.Parameter(null, "[" + uploadId + "]");
    }

    /** The parameters of the header's and the body's placeholders in their order, and of buttons (kept, not yet sent). */
    public record Spec(List<Param> header, List<Param> body, List<Param> buttons) {
        public static final Spec NONE = new Spec(List.of(), List.of(), List.of());

        public Spec {
            header = header == null ? List.of() : List.copyOf(header);
            body = body == null ? List.of() : List.copyOf(body);
            buttons = buttons == null ? List.of() : List.copyOf(buttons);
        }

        public ObjectNode json() {
            ObjectNode node = CampaignDraft.JSON.createObjectNode();
            write(node.putArray("header"), header);
            write(node.putArray("body"), body);
            write(node.putArray("buttons"), buttons);
            return node;
        }

        private static void write(ArrayNode array, List<Param> params) {
            for (Param p : params) {
                ObjectNode item = array.addObject().put("source", p.source()).put("key", p.key());
                if (p.fallback() != null) {
                    item.put("fallback", p.fallback());
                }
            }
        }

        /** Reads {@code {"header": [param], "body": [param], "buttons": [param]}}, refusing what cannot be a parameter. */
        public static Spec fromJson(JsonNode node) {
            if (node == null || node.isNull()) {
                return NONE;
            }
            if (!node.isObject()) {
                throw UserError.invalid("campaigns.invalid.variables");
            }
            return new Spec(params(node.get("header"), "header"), params(node.get("body"), "body"), params(node.get("buttons"), "buttons"));
        }

        private static List<Param> params(JsonNode node, String part) {
            List<Param> params = new ArrayList<>();
            if (node == null || node.isNull()) {
                return params;
            }
            if (!node.isArray() || node.size() > MAX_PARAMETERS) {
                throw UserError.invalid("campaigns.invalid.variables-list", part, MAX_PARAMETERS);
            }
            int i = 0;
            for (JsonNode item : node) {
                i++;
                String source = CampaignDraft.text(item, "source");
                source = source == null ? "FIELD" : source.toUpperCase(Locale.ROOT);
                if (!SOURCES.contains(source)) {
                    throw UserError.invalid("campaigns.invalid.variable-source", part, i, source);
                }
                if (source.equals(MEDIA)) {
                    params.add(media(item, part, i, node.size()));
                    continue;
                }
                String key = CampaignDraft.text(item, "key");
                if (key == null && source.equals("TEXT")) {
                    key = CampaignDraft.text(item, "text");
                }
                if (key == null || key.length() > MAX_TEXT) {
                    throw UserError.invalid("campaigns.invalid.variable-key", part, i);
                }
                if (source.equals("FIELD") && !FIELDS.contains(key)) {
                    throw UserError.invalid("campaigns.invalid.variable-field", part, i, key, String.join(", ", FIELDS));
                }
                String fallback = CampaignDraft.text(item, "fallback");
                if (fallback != null && fallback.length() > MAX_TEXT) {
                    throw UserError.invalid("campaigns.invalid.variable-key", part, i);
                }
                params.add(new Param(source, key, fallback));
            }
            return params;
        }

        /** A media header's file: only in the header, alone, by an upload's id. */
        private static Param media(JsonNode item, String part, int i, int count) {
            if (!part.equals("header") || count != 1) {
                throw UserError.invalid("campaigns.invalid.variable-media-place", part, i);
            }
            String key = CampaignDraft.text(item, "key");
            try {
                return new Param(MEDIA, java.util.UUID.fromString(key == null ? "" : key).toString(), null);
            } catch (IllegalArgumentException e) {
                throw UserError.invalid("campaigns.invalid.variable-media-key", key == null ? "" : key);
            }
        }

        /** The upload of the media header, if the header takes one. */
        public Optional<String> headerMedia() {
            return header.size() == 1 && header.get(0).media() ? Optional.of(header.get(0).key()) : Optional.empty();
        }
    }

    /** The placeholders of a template's header and body, in order ("1", "2" … or names); positional when the template is unknown. */
    public record Placeholders(List<String> header, List<String> body) {
        static Placeholders positional(Spec spec) {
            return new Placeholders(numbers(spec.header().size()), numbers(spec.body().size()));
        }

        private static List<String> numbers(int n) {
            List<String> list = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                list.add(Integer.toString(i));
            }
            return list;
        }
    }

    /** The template message for one contact, or empty when a placeholder has no value and no fallback. */
    public static Optional<MessageToSend.Template> render(Campaign.Version version, Placeholders placeholders, Contact contact) {
        return render(version, placeholders, contact, HeaderFiles.UNRESOLVED);
    }

    /** As {@link #render(Campaign.Version, Placeholders, Contact)}, a media header taking its file from {@code files}. */
    public static Optional<MessageToSend.Template> render(Campaign.Version version, Placeholders placeholders, Contact contact,
                                                          HeaderFiles files) {
        Optional<String> media = version.variables().headerMedia();
        Optional<List<MessageToSend.Parameter>> header = media.isPresent() ? Optional.of(List.of(files.parameter(media.get())))
                : parameters(version.variables().header(), placeholders.header(), contact);
        Optional<List<MessageToSend.Parameter>> body = parameters(version.variables().body(), placeholders.body(), contact);
        if (header.isEmpty() || body.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MessageToSend.Template(version.templateName(), version.templateLanguage(), header.get(), body.get()));
    }

    private static Optional<List<MessageToSend.Parameter>> parameters(List<Param> params, List<String> placeholders, Contact contact) {
        List<MessageToSend.Parameter> values = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Optional<String> value = value(params.get(i), contact);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String placeholder = i < placeholders.size() ? placeholders.get(i) : Integer.toString(i + 1);
            values.add(new MessageToSend.Parameter(placeholder, value.get()));
        }
        return Optional.of(values);
    }

    /** A parameter's value for the contact: its own, else the fallback, cleaned as Meta wants it (no line breaks or tabs). */
    static Optional<String> value(Param param, Contact contact) {
        String value = switch (param.source()) {
            case "TEXT" -> param.key();
            case "ATTRIBUTE" -> {
                Object raw = contact.attributes().get(param.key());
                yield raw == null ? null : raw instanceof Boolean b ? (b ? "yes" : "no") : raw.toString();
            }
            default -> field(param.key(), contact);
        };
        value = clean(value);
        if (value == null) {
            value = clean(param.fallback());
        }
        return Optional.ofNullable(value);
    }

    private static String field(String key, Contact contact) {
        String name = contact.name() != null && !contact.name().isBlank() ? contact.name() : contact.profileName();
        return switch (key) {
            case "name" -> name;
            case "firstName" -> name == null ? null : name.strip().split("\\s+")[0];
            case "profileName" -> contact.profileName();
            case "phone" -> contact.phoneE164() != null ? contact.phoneE164() : contact.waId() == null ? null : "+" + contact.waId();
            case "email" -> contact.email();
            case "company" -> contact.company();
            default -> null;
        };
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String cleaned = value.replaceAll("\\s+", " ").strip();
        return cleaned.isEmpty() ? null : cleaned;
    }
}
