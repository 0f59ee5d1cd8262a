package hexa.inbox;

import hexa.whatsapp.MessageDirection;
import hexa.whatsapp.MessageType;
import hexa.whatsapp.MessageView;
import hexa.whatsapp.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One message as the conversation view draws it, with everything its type carries read out of the
 * stored content: the text or caption, the media to show or play, a location, shared contacts,
 * the button or list choice, the template (as the customer saw it when it is known), what it quotes,
 * its reactions and its delivery state.
 * All of it is plain text for the template, which escapes it.
 */
public record ThreadMessage(UUID id, boolean inbound, String type, String status, Instant sentAt, String wamid, String text,
                            Media media, Location location, List<SharedContact> contacts, String choice, String choiceDetail,
                            String templateName, List<String> templateParameters, Template.Layout template, List<String> options, Quote quote,
                            List<String> reactions, boolean forwarded, boolean frequentlyForwarded, String problem,
                            Integer errorCode, String errorExplanation, MessageView.Change change, AdCard ad) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Media to show: kind (image, video, audio, voice, document, sticker), the member-only URL, and a file name. */
    public record Media(String kind, String url, String fileName, String mimeType) {
        public boolean image() {
            return "image".equals(kind) || "sticker".equals(kind);
        }
    }

    public record Location(String name, String address, String latitude, String longitude) {
        /** A map link built only from numbers, never from what the customer typed. */
        public String mapUrl() {
            try {
                double lat = Double.parseDouble(latitude);
                double lng = Double.parseDouble(longitude);
                return String.format(Locale.ROOT, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=16/%.6f/%.6f", lat, lng, lat, lng);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    public record SharedContact(String name, String company, List<String> phones, List<String> emails) {
    }

    /**
     * The click-to-WhatsApp ad (or post) the customer tapped to write this message: its headline, text, a link to it (only
     * a web address) and its id. Meta's and the advertiser's text, shown as text.
     */
    public record AdCard(boolean post, String headline, String body, String url, String adId) {

        static AdCard of(JsonNode content) {
            JsonNode referral = content.get("referral");
            if (referral == null || !referral.isObject()) {
                return null;
            }
            AdCard card = new AdCard("post".equals(text(referral, "source_type")), blankToNull(text(referral, "headline")),
                    blankToNull(text(referral, "body")), webAddress(text(referral, "source_url")), blankToNull(text(referral, "source_id")));
            return card.headline() == null && card.body() == null && card.url() == null && card.adId() == null ? null : card;
        }

        /** An http(s) address to link to; anything else an ad could carry (javascript:, data:) is not linked. */
        static String webAddress(String url) {
            try {
                java.net.URI uri = new java.net.URI(url.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri.toString() : null;
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }
    }

    /** The message this one answers, in brief. */
    public record Quote(boolean inbound, String text) {
    }

    public boolean failed() {
        return "FAILED".equals(status);
    }

    /** Sent, but WhatsApp's answer was lost: waiting for it to confirm before anything is sent again. */
    public boolean uncertain() {
        return "UNCERTAIN".equals(status);
    }

    /** Delivery ticks for what the business sent: queued (clock), sent (one), delivered (two), read (two, blue). */
    public String ticks() {
        if (inbound) {
            return "";
        }
        switch (status) {
            case "QUEUED":
                return "queued";
            case "UNCERTAIN":
                return "uncertain";
            case "SENT":
                return "sent";
            case "DELIVERED":
                return "delivered";
            case "READ":
            case "PLAYED":
                return "read";
            default:
                return "failed";
        }
    }

    /** The sent template's name and language ({@code [name, language]}), or null when the message is no template. */
    static String[] templateOf(MessageView m) {
        if (m.type() != MessageType.TEMPLATE || m.content() == null) {
            return null;
        }
        JsonNode object = JSON.readTree(m.content()).path("template");
        return new String[] {text(object, "name"), text(object.path("language"), "code")};
    }

    /** {@code known}: the synced template the message was sent from, to draw it as the customer saw it (null: unknown). */
    static ThreadMessage of(MessageView m, List<String> reactions, Quote quote, Template known) {
        if (m.change().deleted()) {
            // Its sender deleted it: nothing of it is left to show but that.
            return new ThreadMessage(m.id(), m.direction() == MessageDirection.INBOUND, m.type().json(), m.status().name(), m.sentAt(), m.wamid(),
                    null, null, null, List.of(), null, null, null, List.of(), null, List.of(), null, reactions, false, false, null,
                    m.errorCode(), m.errorDetails() != null ? m.errorDetails() : m.errorTitle(), m.change(), null);
        }
        JsonNode content = JSON.readTree(m.content() == null ? "{}" : m.content());
        String type = m.type().json();
        JsonNode object = content.path(type);
        boolean inbound = m.direction() == MessageDirection.INBOUND;
        String text = m.body();
        Media media = null;
        Location location = null;
        List<SharedContact> contacts = List.of();
        String choice = null;
        String choiceDetail = null;
        String templateName = null;
        List<String> templateParameters = List.of();
        Template.Layout template = null;
        List<String> options = List.of();
        String problem = null;
        switch (type) {
            case "image":
            case "video":
            case "audio":
            case "sticker":
            case "document":
                String kind = "audio".equals(type) && object.path("voice").asBoolean(false) ? "voice" : type;
                media = new Media(kind, "/media/" + m.id(), text(object, "filename"), text(object, "mime_type"));
                text = text(object, "caption");
                break;
            case "location":
                location = new Location(text(object, "name"), text(object, "address"), text(object, "latitude"), text(object, "longitude"));
                text = null;
                break;
            case "contacts":
                List<SharedContact> shared = new ArrayList<>();
                JsonNode list = content.path("contacts").isArray() ? content.path("contacts") : object.path("contacts");
                if (!list.isArray() && object.isArray()) {
                    list = object;
                }
                for (JsonNode c : list) {
                    List<String> phones = new ArrayList<>();
                    c.path("phones").forEach(p -> phones.add(text(p, "phone").isEmpty() ? text(p, "wa_id") : text(p, "phone")));
                    List<String> emails = new ArrayList<>();
                    c.path("emails").forEach(e -> emails.add(text(e, "email")));
                    shared.add(new SharedContact(text(c.path("name"), "formatted_name"), text(c.path("org"), "company"), phones, emails));
                }
                contacts = shared;
                text = null;
                break;
            case "interactive":
                if (inbound) {
                    JsonNode reply = object.has("button_reply") ? object.path("button_reply") : object.path("list_reply");
                    choice = text(reply, "title");
                    choiceDetail = text(reply, "description");
                    // Another kind of reply (a Flow's answers, a call permission): the readable line kept as its body.
                    text = choice.isEmpty() ? m.body() : null;
                    choice = choice.isEmpty() ? null : choice;
                } else {
                    text = text(object.path("body"), "text");
                    List<String> choices = new ArrayList<>();
                    object.path("action").path("buttons").forEach(b -> choices.add(text(b.path("reply"), "title")));
                    object.path("action").path("sections").forEach(s -> s.path("rows").forEach(r -> choices.add(text(r, "title"))));
                    if (!text(object.path("action").path("parameters"), "flow_cta").isEmpty()) {
                        // a WhatsApp Flow form: its button opens the form on the customer's phone
                        choices.add(text(object.path("action").path("parameters"), "flow_cta"));
                    }
                    options = choices;
                }
                break;
            case "button":
                choice = text(object, "text");
                text = null;
                break;
            case "template":
                templateName = text(object, "name");
                List<String> parameters = new ArrayList<>();
                object.path("components").forEach(component -> component.path("parameters").forEach(p -> {
                    String value = text(p, "text");
                    if (!value.isEmpty()) {
                        parameters.add(value);
                    }
                }));
                templateParameters = parameters;
                template = known == null ? null : known.filled(object);
                text = null;
                break;
            case "unsupported":
            case "unknown":
                problem = m.body();
                text = null;
                break;
            default:
                break;
        }
        return new ThreadMessage(m.id(), inbound, type, m.status().name(), m.sentAt(), m.wamid(), blankToNull(text), media, location, contacts,
                blankToNull(choice), blankToNull(choiceDetail), templateName, templateParameters, template, options, quote, reactions,
                m.forwarded(), m.frequentlyForwarded(), problem, m.errorCode(), m.errorDetails() != null ? m.errorDetails() : m.errorTitle(),
                m.change(), inbound ? AdCard.of(content) : null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
