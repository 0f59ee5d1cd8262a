package hexa.whatsapp.graph;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CRM's only way to talk to the WhatsApp Cloud API (Meta's Graph API, or the sandbox). Every
 * operation names its {@link GraphEndpoint}; every failure is a {@link GraphApiException}.
 */
@Component
public class GraphClient {

    // The fields the CRM shows about a number; Meta answers (#100) to unknown field names.
    private static final String PHONE_NUMBER_FIELDS =
            "id,display_phone_number,verified_name,quality_rating,code_verification_status,platform_type,throughput,"
                    + "whatsapp_business_manager_messaging_limit";
    private static final String PROFILE_FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";
    // Meta caps a WABA at 250 templates; pages of 100 need three. More than this means a paging loop.
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 50;

    private final GraphTransport transport;

    public GraphClient(GraphSettings settings) {
        this.transport = new GraphTransport(settings, JsonMapper.builder().build());
    }

    /** The WABA's phone numbers, every page. */
    public List<JsonNode> phoneNumbers(GraphEndpoint endpoint, String wabaId) {
        return allPages(endpoint, url(endpoint, wabaId, "phone_numbers").queryParam("fields", PHONE_NUMBER_FIELDS));
    }

    /** One phone number: display number, verified name, quality rating, throughput level. */
    public JsonNode phoneNumber(GraphEndpoint endpoint, String phoneNumberId) {
        return transport.get(endpoint, uri(url(endpoint, phoneNumberId).queryParam("fields", PHONE_NUMBER_FIELDS)));
    }

    /**
     * Sends Meta's message object ({@code to}, {@code type} and the object named after it). The caller's
     * object is not changed; {@code messaging_product} is added when missing.
     */
    public SentMessage sendMessage(GraphEndpoint endpoint, String phoneNumberId, ObjectNode message) {
        ObjectNode request = message.deepCopy();
        if (!request.has("messaging_product")) {
            request.put("messaging_product", "whatsapp");
        }
        URI uri = uri(url(endpoint, phoneNumberId, "messages"));
        JsonNode answer = transport.postJson(endpoint, uri, request);
        JsonNode sent = answer.path("messages").path(0);
        String wamid = text(sent, "id");
        if (wamid == null || wamid.isBlank()) {
            throw transport.refuse(endpoint, HttpMethod.POST, uri,
                    GraphFailure.unexpectedAnswer(200, "The answer names no message id"));
        }
        JsonNode contact = answer.path("contacts").path(0);
        return new SentMessage(wamid, text(contact, "wa_id"), text(contact, "input"), text(sent, "message_status"));
    }

    /**
     * Tells the customer their message (and everything before it) was read; with the typing
     * indicator, also shows them that a reply is being written (Meta hides it after 25 s or on reply).
     */
    public void markAsRead(GraphEndpoint endpoint, String phoneNumberId, String wamid, boolean typingIndicator) {
        ObjectNode request = transport.json().createObjectNode();
        request.put("messaging_product", "whatsapp");
        request.put("status", "read");
        request.put("message_id", required(wamid, "message id"));
        if (typingIndicator) {
            request.putObject("typing_indicator").put("type", "text");
        }
        transport.postJson(endpoint, uri(url(endpoint, phoneNumberId, "messages")), request);
    }

    /** Uploads media for later sends and answers its media id (valid 30 days at Meta). */
    public String uploadMedia(GraphEndpoint endpoint, String phoneNumberId, byte[] bytes, String mimeType,
            String filename) {
        MediaType type = MediaType.parseMediaType(required(mimeType, "MIME type"));
        String name = filename == null || filename.isBlank() ? "file" : filename;
        HttpHeaders fileHeaders = new HttpHeaders();
        fileHeaders.setContentType(type);
        fileHeaders.setContentDispositionFormData("file", name);
        MultiValueMap<String, HttpEntity<?>> parts = new LinkedMultiValueMap<>();
        parts.add("messaging_product", new HttpEntity<>("whatsapp"));
        parts.add("type", new HttpEntity<>(type.toString()));
        parts.add("file", new HttpEntity<>(new NamedBytes(bytes, name), fileHeaders));
        URI uri = uri(url(endpoint, phoneNumberId, "media"));
        JsonNode answer = transport.postMultipart(endpoint, uri, parts);
        String id = text(answer, "id");
        if (id == null || id.isBlank()) {
            throw transport.refuse(endpoint, HttpMethod.POST, uri,
                    GraphFailure.unexpectedAnswer(200, "The answer names no media id"));
        }
        return id;
    }

    /** The media object: a download URL valid for five minutes, its type, hash and size. */
    public MediaInfo mediaInfo(GraphEndpoint endpoint, String mediaId) {
        JsonNode answer = transport.get(endpoint, uri(url(endpoint, mediaId)));
        return new MediaInfo(text(answer, "id") == null ? mediaId : text(answer, "id"), text(answer, "url"),
                text(answer, "mime_type"), text(answer, "sha256"), size(answer.get("file_size")));
    }

    /**
     * The bytes at a media URL from {@link #mediaInfo}, fetched with the endpoint's bearer token and at
     * most {@code hexa.whatsapp.max-media-size} long. Meta answers 404 when the URL has expired: ask
     * {@link #mediaInfo} for a fresh one.
     */
    public byte[] downloadMedia(GraphEndpoint endpoint, String url) {
        URI uri = URI.create(required(url, "media URL"));
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("A media URL must be http(s): " + GraphTransport.origin(uri));
        }
        if (!mayCarryToken(endpoint, uri)) {
            throw new IllegalArgumentException("The number's access token is sent only to Meta's media hosts or the Graph API's own origin, not to "
                    + GraphTransport.origin(uri));
        }
        return transport.download(endpoint, uri);
    }

    /** Meta's media hosts, over https; the download sends the number's access token to them. */
    private static final java.util.List<String> META_MEDIA_DOMAINS = java.util.List.of("fbsbx.com", "fbcdn.net", "whatsapp.net", "facebook.com");

    /**
     * Whether a media URL may receive the number's access token: one of Meta's media hosts over https, or the origin of
     * the number's own Graph API (the sandbox serves its files there). An answer naming any other host (a compromised
     * or mistaken Graph URL, a crafted media id) is refused rather than handed the token.
     */
    static boolean mayCarryToken(GraphEndpoint endpoint, URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        if ("https".equalsIgnoreCase(uri.getScheme())
                && META_MEDIA_DOMAINS.stream().anyMatch(domain -> host.equals(domain) || host.endsWith("." + domain))) {
            return true;
        }
        URI graph = URI.create(endpoint.baseUrl());
        return GraphTransport.origin(graph).equalsIgnoreCase(GraphTransport.origin(uri));
    }

    public void deleteMedia(GraphEndpoint endpoint, String mediaId) {
        transport.delete(endpoint, uri(url(endpoint, mediaId)));
    }

    /** Every message template of the WABA, following Meta's pages to the end. */
    public List<JsonNode> templates(GraphEndpoint endpoint, String wabaId) {
        return allPages(endpoint, url(endpoint, wabaId, "message_templates").queryParam("limit", PAGE_SIZE));
    }

    /** Submits a template ({@code name}, {@code language}, {@code category}, {@code components}) for review. */
    public TemplateSubmission createTemplate(GraphEndpoint endpoint, String wabaId, ObjectNode template) {
        JsonNode answer = transport.postJson(endpoint, uri(url(endpoint, wabaId, "message_templates")), template);
        return new TemplateSubmission(text(answer, "id"), text(answer, "status"), text(answer, "category"));
    }

    /** Edits a template ({@code components}, and {@code category} while Meta allows it): {@code POST /{TEMPLATE_ID}}. */
    public void editTemplate(GraphEndpoint endpoint, String templateId, ObjectNode edit) {
        transport.postJson(endpoint, uri(url(endpoint, templateId)), edit);
    }

    /** Deletes a template by name: Meta deletes it in every language. */
    public void deleteTemplate(GraphEndpoint endpoint, String wabaId, String name) {
        transport.delete(endpoint, uri(url(endpoint, wabaId, "message_templates").queryParam("name", name)));
    }

    /** about, address, description, email, profile_picture_url, websites, vertical. */
    public JsonNode businessProfile(GraphEndpoint endpoint, String phoneNumberId) {
        JsonNode answer = transport.get(endpoint,
                uri(url(endpoint, phoneNumberId, "whatsapp_business_profile").queryParam("fields", PROFILE_FIELDS)));
        JsonNode profile = answer.path("data").path(0);
        return profile.isObject() ? profile : transport.json().createObjectNode();
    }

    /** Changes only the fields given; Meta leaves the others as they are. */
    public void updateBusinessProfile(GraphEndpoint endpoint, String phoneNumberId, ObjectNode fields) {
        ObjectNode request = fields.deepCopy();
        request.put("messaging_product", "whatsapp");
        transport.postJson(endpoint, uri(url(endpoint, phoneNumberId, "whatsapp_business_profile")), request);
    }

    /**
     * Reads {@code data} of every page. The next page is asked for with the {@code after} cursor on
     * our own URL rather than by following {@code paging.next}, so the token only ever goes to the
     * configured Graph API.
     */
    private List<JsonNode> allPages(GraphEndpoint endpoint, UriComponentsBuilder first) {
        List<JsonNode> items = new ArrayList<>();
        Set<String> cursorsSeen = new HashSet<>();
        URI page = uri(first.cloneBuilder());
        for (int pages = 1; ; pages++) {
            JsonNode answer = transport.get(endpoint, page);
            answer.path("data").forEach(items::add);
            JsonNode paging = answer.path("paging");
            String after = text(paging.path("cursors"), "after");
            boolean more = text(paging, "next") != null;
            if (!more || after == null) {
                return items;
            }
            if (!cursorsSeen.add(after) || pages >= MAX_PAGES) {
                throw transport.refuse(endpoint, HttpMethod.GET, page, GraphFailure.tooManyPages(pages));
            }
            page = uri(first.cloneBuilder().replaceQueryParam("after", after));
        }
    }

    private static UriComponentsBuilder url(GraphEndpoint endpoint, String id, String... edge) {
        return UriComponentsBuilder.fromUriString(endpoint.baseUrl())
                .pathSegment(endpoint.apiVersion(), required(id, "Graph object id"))
                .pathSegment(edge);
    }

    private static URI uri(UriComponentsBuilder builder) {
        return builder.build().encode().toUri();
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A " + what + " is required");
        }
        return value.trim();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }

    private static long size(JsonNode node) {
        if (node == null || node.isNull()) {
            return -1;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        try {
            return Long.parseLong(node.asString().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Bytes with the filename the multipart part announces. */
    private static final class NamedBytes extends ByteArrayResource {
        private final String filename;

        NamedBytes(byte[] bytes, String filename) {
            super(bytes);
            this.filename = filename;
        }

        @Override
        public String getFilename() {
            return filename;
        }
    }
}
