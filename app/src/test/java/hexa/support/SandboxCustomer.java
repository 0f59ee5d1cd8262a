package hexa.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The one simulated customer of the tests: people on the sandbox's phone writing to one workspace's sandbox number, and
 * what Meta's side (the sandbox) shows of that number. A customer's message goes through the sandbox's control API, so
 * it reaches the app as a signed webhook, as from Meta, sent with the sandbox's control token as a script would.
 * Get one from {@code fixtures.withSandboxNumber(..)}.
 */
public final class SandboxCustomer {

    private final ApiClient control;
    private final JdbcClient jdbc;
    private final UUID workspaceId;
    private final String phoneNumberId;

    public SandboxCustomer(String baseUrl, String controlToken, JdbcClient jdbc, UUID workspaceId, String phoneNumberId) {
        this.control = new ApiClient(baseUrl, controlToken);
        this.jdbc = jdbc;
        this.workspaceId = workspaceId;
        this.phoneNumberId = phoneNumberId;
    }

    /**
     * The customer {@code waId} writes {@code text}; answers the conversation it was stored in, once it is and what
     * reacts to it (the listeners of its domain events, such as the consent keywords' replies) has done so.
     */
    public UUID writes(String waId, String text) {
        UUID conversation = stored(sends(waId, text));
        DomainEvents.awaitHandled(jdbc);
        return conversation;
    }

    /** The same, with the WhatsApp profile name the customer has (null: leave it). */
    public UUID writes(String waId, String text, String profileName) {
        if (profileName != null) {
            hasProfileName(waId, profileName);
        }
        return writes(waId, text);
    }

    /** The customer {@code waId} writes {@code text}, without waiting for the app to store it; answers its WhatsApp id. */
    public String sends(String waId, String text) {
        return sendsMessage(waId, "{\"type\":\"text\",\"text\":{\"body\":" + json(text) + "}}");
    }

    /**
     * The customer sends a message in Meta's inbound shape without its {@code phoneNumberId} (a button tap, a photo
     * uploaded first, a reaction...), without waiting for the app; answers its WhatsApp id.
     */
    public String sendsMessage(String waId, String message) {
        String body = message.trim();
        assertThat(body).startsWith("{");
        body = "{\"phoneNumberId\":\"" + phoneNumberId + "\"," + body.substring(1);
        Response sent = control.send("POST", "/sandbox/api/customers/" + waId + "/messages", body);
        assertThat(sent.status()).as(sent.text()).isBetween(200, 299);
        return ApiClient.json(sent).get("id").asString();
    }

    /** The customer stops ({@code "stop"}) or resumes ({@code "resume"}) marketing messages in WhatsApp's settings. */
    public void marketing(String waId, String value) {
        Response sent = control.send("POST", "/sandbox/api/customers/" + waId + "/preferences",
                "{\"phoneNumberId\":\"" + phoneNumberId + "\",\"marketing\":\"" + value + "\"}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    }

    /**
     * Someone at the business writes to the customer from the WhatsApp Business app on the same number (coexistence), in
     * Meta's shape without {@code to} ({@code {"type":"text","text":{...}}}, an edit or a revoke); answers the echo's id.
     */
    public String businessAppSends(String waId, String message) {
        String body = message.trim();
        assertThat(body).startsWith("{");
        Response sent = control.send("POST", "/sandbox/api/numbers/" + phoneNumberId + "/echoes", "{\"to\":\"" + waId + "\"," + body.substring(1));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        return ApiClient.json(sent).get("id").asString();
    }

    /** The business app's address book gains ({@code add}) or loses ({@code remove}) a contact. */
    public void businessAppSyncsContact(String action, String phoneNumber, String fullName) {
        Response sent = control.send("POST", "/sandbox/api/numbers/" + phoneNumberId + "/contact-sync", "{\"action\":\"" + action
                + "\",\"phoneNumber\":\"" + phoneNumber + "\"" + (fullName == null ? "" : ",\"fullName\":" + json(fullName)) + "}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    }

    /** How many webhook POSTs to this number's callback wait in the sandbox for a retry (the app did not answer 200). */
    public int webhooksWaitingForRetry() {
        return webhookBacklog().get("waiting").asInt();
    }

    /** The sandbox's retry backlog for this number's callback: {@code waiting}, {@code events}, {@code oldestAgeSeconds}. */
    public JsonNode webhookBacklog() {
        String callback = null;
        for (JsonNode number : ApiClient.json(control.get("/sandbox/api/numbers"))) {
            if (number.get("phoneNumberId").asString().equals(phoneNumberId)) {
                callback = number.get("callbackUrl").asString();
            }
        }
        JsonNode waiting = ApiClient.json(control.get("/sandbox/api/stats")).at("/webhooks/backlog/callbacks").get(callback);
        return waiting != null ? waiting : tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("{\"waiting\":0,\"events\":0,\"oldestAgeSeconds\":0}");
    }

    /** The customer attaches a file (a photo, a voice note, a document) for a following message; answers its media id. */
    public String uploads(String waId, byte[] bytes, String mimeType, String filename) {
        Response uploaded = control.upload("/sandbox/api/customers/" + waId + "/media?phoneNumberId=" + phoneNumberId, "file", filename, mimeType,
                bytes);
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        return ApiClient.json(uploaded).get("id").asString();
    }

    /** The conversation the customer's message {@code wamid} was stored in, once the app has stored it. */
    public UUID stored(String wamid) {
        return Eventually.present(() -> jdbc.sql("select conversation_id from messages where tenant_id = :t and wamid = :w")
                .param("t", workspaceId).param("w", wamid).query(UUID.class).optional(), "the customer's message " + wamid + " to be stored");
    }

    /** Sets the customer's WhatsApp profile name, which their next messages carry. */
    public void hasProfileName(String waId, String profileName) {
        Response created = control.send("POST", "/sandbox/api/customers", "{\"waId\":\"" + waId + "\",\"profileName\":" + json(profileName) + "}");
        assertThat(created.status()).as(created.text()).isBetween(200, 299);
    }

    /** Makes Meta fail (131026) or deliver again what is sent to the customer. */
    public void isUndeliverable(String waId, boolean undeliverable) {
        Response changed = control.send("PATCH", "/sandbox/api/customers/" + waId, "{\"undeliverable\": " + undeliverable + "}");
        assertThat(changed.status()).as(changed.text()).isBetween(200, 299);
    }

    /** The conversation with the customer as their phone (Meta's side) has it. */
    public JsonNode chat(String waId) {
        return ApiClient.json(control.get("/sandbox/api/numbers/" + phoneNumberId + "/chats/" + waId));
    }

    /**
     * A counter of what this number did on Meta's side: accepted, mediaUploads or readReceipts. Only this number's, so
     * that a send another test left queued (a retry, an acknowledgement) cannot move it.
     */
    public long stat(String name) {
        return ApiClient.json(control.get("/sandbox/api/stats?phoneNumberId=" + phoneNumberId)).get(name).asLong();
    }

    /** Turns the sandbox's switches (they are global: aim failures at this number with its phone number id). */
    public Response switches(String json) {
        return control.send("PATCH", "/sandbox/api/switches", json);
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
