package hexa.whatsapp;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What another module asks the channel to send, typed: the channel alone writes Meta's message object for it
 * ({@link #metaObject()}), and checks and queues it like a message given in Meta's own shape through the API
 * ({@link SendService#send(Recipient, MessageToSend)}).
 */
public sealed interface MessageToSend {

    /** Meta's message object, without the recipient: {@code {"type": "text", "text": {...}}}. */
    ObjectNode metaObject();

    /** A text, with or without link previews, optionally quoting the customer's message it answers. */
    record Text(String body, boolean previewUrl, String replyToWamid) implements MessageToSend {
        /** A plain text, quoting nothing. */
        public Text(String body) {
            this(body, false, null);
        }

        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("text");
            ObjectNode text = message.putObject("text").put("body", body == null ? "" : body.strip());
            if (previewUrl) {
                text.put("preview_url", true);
            }
            MetaMessages.quoting(message, replyToWamid);
            return message;
        }
    }

    /**
     * A file uploaded to the workspace ({@code POST /api/v1/media}), sent as {@code kind} (image, video, audio,
     * document, sticker), with a caption where WhatsApp shows one.
     */
    record Media(String kind, String uploadId, String caption) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed(kind);
            ObjectNode media = message.putObject(kind).put("id", uploadId);
            if (caption != null && !caption.isBlank()) {
                media.put("caption", caption.strip());
            }
            return message;
        }
    }

    /**
     * An approved template in a language, with the text parameters of its header and body in the order of their
     * placeholders; a placeholder with a name ({{order}}) names its value, a positional one ({{1}}) does not.
     */
    record Template(String name, String language, List<Parameter> header, List<Parameter> body) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("template");
            ObjectNode template = message.putObject("template");
            template.put("name", name);
            template.putObject("language").put("code", language);
            ArrayNode components = MetaMessages.MAPPER.createArrayNode();
            addComponent(components, "header", header);
            addComponent(components, "body", body);
            if (!components.isEmpty()) {
                template.set("components", components);
            }
            return message;
        }

        private static void addComponent(ArrayNode components, String type, List<Parameter> parameters) {
            if (parameters == null || parameters.isEmpty()) {
                return;
            }
            ArrayNode list = components.addObject().put("type", type).putArray("parameters");
            for (Parameter parameter : parameters) {
                if (parameter.media() != null) {
                    HeaderMedia media = parameter.media();
                    ObjectNode object = list.addObject().put("type", media.kind()).putObject(media.kind()).put("id", media.mediaId());
                    if ("document".equals(media.kind()) && media.filename() != null && !media.filename().isBlank()) {
                        object.put("filename", media.filename().strip());
                    }
                    continue;
                }
                ObjectNode p = list.addObject().put("type", "text").put("text", parameter.value() == null ? "" : parameter.value().strip());
                if (parameter.named()) {
                    p.put("parameter_name", parameter.placeholder());
                }
            }
        }
    }

    /**
     * One template parameter: the placeholder it fills ({@code "1"} or {@code "order"}) and its value; or, for a header of
     * format IMAGE, VIDEO or DOCUMENT, its {@link HeaderMedia} ({@link #media(String, String, String)}).
     */
    record Parameter(String placeholder, String value, HeaderMedia media) {
        /** A text parameter. */
        public Parameter(String placeholder, String value) {
            this(placeholder, value, null);
        }

        /**
         * The file of a media header: {@code kind} image, video or document, Meta's media id for it on the sending
         * number ({@link SendService#mediaAtMeta}), and for a document the file name the customer sees (null: none).
         */
        public static Parameter media(String kind, String mediaId, String filename) {
            return new Parameter(null, null, new HeaderMedia(kind, mediaId, filename));
        }

        boolean named() {
            return placeholder != null && !placeholder.isEmpty() && !placeholder.chars().allMatch(Character::isDigit);
        }
    }

    /** The file of a template's media header: image, video or document, by Meta's media id. */
    record HeaderMedia(String kind, String mediaId, String filename) {
        public static final java.util.Set<String> KINDS = java.util.Set.of("image", "video", "document");

        public HeaderMedia {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("A template header carries an image, a video or a document, not " + kind);
            }
        }
    }

    /** Up to three reply buttons under a text. */
    record Buttons(String body, List<Choice> buttons) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("interactive");
            ObjectNode interactive = message.putObject("interactive").put("type", "button");
            interactive.putObject("body").put("text", body);
            ArrayNode list = interactive.putObject("action").putArray("buttons");
            for (Choice button : buttons) {
                list.addObject().put("type", "reply").putObject("reply").put("id", button.id()).put("title", button.title());
            }
            return message;
        }
    }

    /** A list the customer opens with {@code button} and picks one row of. */
    record ChoiceList(String body, String button, List<Section> sections) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("interactive");
            ObjectNode interactive = message.putObject("interactive").put("type", "list");
            interactive.putObject("body").put("text", body);
            ObjectNode action = interactive.putObject("action").put("button", button);
            ArrayNode list = action.putArray("sections");
            for (Section section : sections) {
                ObjectNode s = list.addObject();
                if (section.title() != null) {
                    s.put("title", section.title());
                }
                ArrayNode rows = s.putArray("rows");
                for (Choice row : section.rows()) {
                    ObjectNode r = rows.addObject().put("id", row.id()).put("title", row.title());
                    if (row.description() != null) {
                        r.put("description", row.description());
                    }
                }
            }
            return message;
        }
    }

    /** A button or a list row: the id the answer brings back, the title shown, an optional description (rows). */
    record Choice(String id, String title, String description) {
        public Choice(String id, String title) {
            this(id, title, null);
        }
    }

    record Section(String title, List<Choice> rows) {
    }

    /**
     * A WhatsApp Flow form: a text with a button ({@code cta}) that opens the Flow on the customer's phone; the customer's
     * answers come back as {@link FlowAnswers} of an inbound message, with this {@code flowToken} (name what the form
     * was sent for in it, e.g. a flow run's id). The Flow is named by its Meta id or else by its name; {@code screen}
     * (null: the Flow's first) and {@code data} (values the screen shows, null for none) open it where wanted.
     */
    record FlowForm(String body, String cta, String flowId, String flowName, String flowToken, String screen,
                    java.util.Map<String, ?> data) implements MessageToSend {

        /** The Flow with this Meta id, opened on its first screen. */
        public static FlowForm byId(String body, String cta, String flowId, String flowToken) {
            return new FlowForm(body, cta, flowId, null, flowToken, null, null);
        }

        /** The Flow of this name (as the WABA's Flows list it), opened on its first screen. */
        public static FlowForm byName(String body, String cta, String flowName, String flowToken) {
            return new FlowForm(body, cta, null, flowName, flowToken, null, null);
        }

        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("interactive");
            ObjectNode interactive = message.putObject("interactive").put("type", "flow");
            interactive.putObject("body").put("text", body == null ? "" : body.strip());
            ObjectNode parameters = interactive.putObject("action").put("name", "flow").putObject("parameters");
            parameters.put("flow_message_version", "3");
            if (flowId != null && !flowId.isBlank()) {
                parameters.put("flow_id", flowId.strip());
            } else {
                parameters.put("flow_name", flowName == null ? "" : flowName.strip());
            }
            parameters.put("flow_cta", cta == null ? "" : cta.strip());
            if (flowToken != null && !flowToken.isBlank()) {
                parameters.put("flow_token", flowToken);
            }
            parameters.put("flow_action", "navigate");
            if (screen != null || (data != null && !data.isEmpty())) {
                ObjectNode payload = parameters.putObject("flow_action_payload");
                if (screen != null) {
                    payload.put("screen", screen);
                }
                if (data != null && !data.isEmpty()) {
                    payload.set("data", MetaMessages.MAPPER.valueToTree(data));
                }
            }
            return message;
        }
    }

    /** An emoji on a message of the conversation; an empty emoji takes the reaction back. */
    record Reaction(String messageWamid, String emoji) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("reaction");
            message.putObject("reaction").put("message_id", messageWamid == null ? "" : messageWamid.strip())
                    .put("emoji", emoji == null ? "" : emoji.strip());
            return message;
        }
    }

    /** A place on the map. */
    record Location(double latitude, double longitude, String name, String address) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("location");
            ObjectNode location = message.putObject("location").put("latitude", latitude).put("longitude", longitude);
            if (name != null) {
                location.put("name", name);
            }
            if (address != null) {
                location.put("address", address);
            }
            return message;
        }
    }

    /** Contact cards: a name and phone numbers each. */
    record Contacts(List<Card> cards) implements MessageToSend {
        @Override
        public ObjectNode metaObject() {
            ObjectNode message = MetaMessages.typed("contacts");
            ArrayNode list = message.putArray("contacts");
            for (Card card : cards) {
                ObjectNode c = list.addObject();
                c.putObject("name").put("formatted_name", card.name()).put("first_name", card.name());
                ArrayNode phones = c.putArray("phones");
                card.phones().forEach(phone -> phones.addObject().put("phone", phone));
            }
            return message;
        }
    }

    record Card(String name, List<String> phones) {
    }
}
