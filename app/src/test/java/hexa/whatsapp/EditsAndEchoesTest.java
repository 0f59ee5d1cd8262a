package hexa.whatsapp;

import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Customers edit and delete messages they sent, and a number used in the WhatsApp Business app too (coexistence) has
 * its app's messages echoed and its address book synced: Meta's examples, signed and posted as Meta posts them.
 */
class EditsAndEchoesTest extends HexaIntegrationTest {

    /** The message Meta's edit, revoke and echo examples change. */
    private static final String ORIGINAL = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=";
    /** The id of Meta's edit and revoke examples themselves (the same in both, so each test uses one of them). */
    private static final String CHANGE = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=";
    private static final String CUSTOMER = "16505551234";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    @Autowired
    hexa.platform.config.HexaProperties properties;

    @Autowired
    WaitingMessageChanges waiting;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View connection;
    private hexa.support.SignedWebhooks meta;

    @BeforeEach
    void connectANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Edits Co");
        workspace = shop.workspace();
        connection = shop.number();
        meta = new hexa.support.SignedWebhooks(jdbc, secrets, connection);
    }

    // ---- Customers' edits -------------------------------------------------------------------------------------------

    @Test
    void an_edit_shows_the_new_caption_keeps_the_earlier_one_and_is_no_new_message() {
        postAndWait(customerMessage(ORIGINAL, 1749854500, "\"type\":\"image\",\"image\":{\"caption\":\"Blue kurta, size M\","
                + "\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"id\":\"media-original\"}"));

        postAndWait(example("inbound-edit.json"));

        var row = message(ORIGINAL);
        assertThat(row.get("body")).isEqualTo("Updated image caption");
        assertThat((String) row.get("content")).contains("\"caption\": \"Updated image caption\"")
                .as("the photo stays the one sent").contains("media-original").doesNotContain("1234567890");
        assertThat(((java.sql.Timestamp) row.get("edited_at")).toInstant()).isEqualTo(java.time.Instant.ofEpochSecond(1749854575));
        assertThat((String) row.get("edits")).contains("Blue kurta, size M").contains(CHANGE);
        assertThat(messageCount()).as("the edit is not a message of its own").isEqualTo(1);
        assertThat(events.of(workspace.id(), InboundMessagesReceived.class)).as("nothing answers an edit: told only of the original")
                .hasSize(1);
        assertThat(events.of(workspace.id(), MessageEdited.class)).hasSize(1);

        // Meta retries: nothing changes twice.
        postAndWait(example("inbound-edit.json"));
        assertThat(message(ORIGINAL).get("edits")).isEqualTo(row.get("edits"));
        assertThat(events.of(workspace.id(), MessageEdited.class)).hasSize(1);

        JsonNode json = ApiClient.json(api(fixtures.apiToken(workspace, Role.SUPERVISOR)).get("/api/v1/messages/" + row.get("id")));
        assertThat(json.get("text").asString()).isEqualTo("Updated image caption");
        assertThat(json.get("edited").get("versions").get(0).get("text").asString()).isEqualTo("Blue kurta, size M");
        assertThat(json.get("deleted").asBoolean()).isFalse();
    }

    @Test
    void edits_that_arrive_out_of_order_show_the_latest_text_and_keep_every_earlier_one() {
        postAndWait(customerMessage("wamid.text-1", 1749854000, text("Delivery to Pune")));
        postAndWait(customerMessage("wamid.edit-2", 1749854200, edit("wamid.text-1", "Delivery to Mumbai, Andheri")));
        postAndWait(customerMessage("wamid.edit-1", 1749854100, edit("wamid.text-1", "Delivery to Mumbai")));

        var row = message("wamid.text-1");
        assertThat(row.get("body")).isEqualTo("Delivery to Mumbai, Andheri");
        assertThat((String) row.get("content")).contains("Delivery to Mumbai, Andheri");
        assertThat((String) row.get("edits")).contains("Delivery to Pune").contains("\"Delivery to Mumbai\"");
        assertThat(messageCount()).isEqualTo(1);
    }

    @Test
    void an_edit_of_a_message_gathered_in_the_same_post_is_applied_to_it() {
        postAndWait(postOf(customerMessage("wamid.same-post", 1749854000, text("Two boxes please")),
                customerMessage("wamid.same-post-edit", 1749854010, edit("wamid.same-post", "Three boxes please"))));

        assertThat(message("wamid.same-post").get("body")).isEqualTo("Three boxes please");
        assertThat(messageCount()).isEqualTo(1);
    }

    @Test
    void an_edit_that_comes_before_its_message_is_kept_and_applied_when_the_message_arrives() {
        postAndWait(example("inbound-edit.json"));
        var standIn = message(CHANGE);
        assertThat(standIn.get("body")).as("nothing is lost meanwhile").isEqualTo("Updated image caption");
        assertThat(standIn.get("edit_of")).isEqualTo(ORIGINAL);

        postAndWait(customerMessage(ORIGINAL, 1749854500, "\"type\":\"image\",\"image\":{\"caption\":\"First caption\","
                + "\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"id\":\"media-original\"}"));

        assertThat(messageCount()).as("the stand-in gave way to the original").isEqualTo(1);
        var row = message(ORIGINAL);
        assertThat(row.get("body")).isEqualTo("Updated image caption");
        assertThat((String) row.get("edits")).contains("First caption");
        // Meta retries the edit after it was applied: still one message, one earlier version.
        postAndWait(example("inbound-edit.json"));
        assertThat(messageCount()).isEqualTo(1);
        assertThat(message(ORIGINAL).get("edits")).isEqualTo(row.get("edits"));
    }

    @Test
    void an_edit_and_its_original_stored_side_by_side_by_two_workers_are_brought_together_by_the_sweep() {
        postAndWait(customerMessage("wamid.race-edit", 1749854100, edit("wamid.race", "Make it five")));
        // The original, written at the same instant by another worker that could not see the kept edit yet.
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                select tenant_id, gen_random_uuid(), conversation_id, contact_id, 'INBOUND', 'wamid.race', 'text', 'Make it four',
                       '{"type":"text","text":{"body":"Make it four"}}'::jsonb, 'RECEIVED', to_timestamp(1749854000), now()
                  from messages where tenant_id = :t and wamid = 'wamid.race-edit'
                """).param("t", workspace.id()).update();
        assertThat(messageCount()).isEqualTo(2);

        assertThat(waiting.applyThoseWhoseOriginalArrived()).isGreaterThanOrEqualTo(1);

        assertThat(messageCount()).isEqualTo(1);
        assertThat(message("wamid.race").get("body")).isEqualTo("Make it five");
        assertThat((String) message("wamid.race").get("edits")).contains("Make it four");
    }

    @Test
    void an_edit_of_another_customers_message_is_parked_and_changes_nothing() {
        postAndWait(customerMessage("wamid.someone-else", 1749854000, text("My address is 12 MG Road"), "919800000001"));
        postAndWait(customerMessage("wamid.intruder", 1749854010, edit("wamid.someone-else", "Send it elsewhere"), CUSTOMER));

        assertThat(message("wamid.someone-else").get("body")).isEqualTo("My address is 12 MG Road");
        assertThat(jdbc.sql("select reason from webhook_parked_changes where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .singleElement().asString().contains("did not send");
    }

    @Test
    void an_edit_or_revoke_that_names_no_original_is_parked_with_the_reason() {
        postAndWait(customerMessage("wamid.no-original", 1749854010, "\"type\":\"revoke\",\"revoke\":{}"));

        assertThat(messageCount()).isZero();
        assertThat(jdbc.sql("select reason from webhook_parked_changes where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .containsExactly("A revoke that names no original message");
    }

    // ---- Customers' deletions -----------------------------------------------------------------------------------------

    @Test
    void a_deleted_message_loses_its_text_media_and_history_and_search_no_longer_finds_it() {
        String waId = "919800000042";
        var customer = customerOf(workspace.id(), connection.phoneNumberId());
        String mediaId = customer.uploads(waId, jpeg(), "image/jpeg", "kurta.jpg");
        String wamid = customer.sendsMessage(waId, "{\"type\":\"image\",\"image\":{\"id\":\"" + mediaId + "\",\"caption\":\"Zanzibarblue kurta\"}}");
        customer.stored(wamid);
        until(() -> "STORED".equals(jdbc.sql("select state from media_files where tenant_id = :t").param("t", workspace.id())
                .query(String.class).optional().orElse("")), "the photo to be stored");
        String blobKey = jdbc.sql("select blob_key from media_files where tenant_id = :t").param("t", workspace.id()).query(String.class).single();
        postAndWait(customerMessage("wamid.caption-edit", later(5), edit(wamid, "Zanzibarblue kurta, size L"), waId));
        ApiClient supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
        assertThat(ApiClient.json(supervisor.get("/api/v1/search?q=zanzibarblue")).get("messages")).hasSize(1);

        postAndWait(customerMessage("wamid.revoke", later(10), "\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + wamid + "\"}", waId));

        var row = message(wamid);
        assertThat(row.get("body")).isNull();
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(row.get("edits")).as("earlier versions go too").isNull();
        assertThat((String) row.get("content")).doesNotContain("Zanzibarblue").doesNotContain(mediaId);
        assertThat(jdbc.sql("select count(*) from media_files where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
        assertThat(java.nio.file.Files.exists(blobPath(blobKey))).as("the stored file is deleted").isFalse();
        assertThat(ApiClient.json(supervisor.get("/api/v1/search?q=zanzibarblue")).get("messages")).isEmpty();
        assertThat(events.of(workspace.id(), MessageDeleted.class)).hasSize(1);

        JsonNode json = ApiClient.json(supervisor.get("/api/v1/messages/" + row.get("id")));
        assertThat(json.get("deleted").asBoolean()).isTrue();
        assertThat(json.get("deletedAt").asString()).isNotBlank();

        // A retried revoke, and an edit coming after it, change nothing.
        postAndWait(customerMessage("wamid.revoke", later(10), "\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + wamid + "\"}", waId));
        postAndWait(customerMessage("wamid.late-edit", later(20), edit(wamid, "Zanzibarblue again"), waId));
        assertThat(message(wamid).get("body")).isNull();
        assertThat(events.of(workspace.id(), MessageDeleted.class)).hasSize(1);
    }

    @Test
    void a_revoke_that_comes_before_its_message_deletes_it_when_it_arrives() {
        postAndWait(example("inbound-revoke.json"));
        var standIn = message(CHANGE);
        assertThat(standIn.get("deleted_at")).isNotNull();
        assertThat(standIn.get("body")).isNull();

        postAndWait(customerMessage(ORIGINAL, 1749854500, text("Cancel my order 4411")));

        assertThat(messageCount()).isEqualTo(1);
        var row = message(ORIGINAL);
        assertThat(row.get("body")).isNull();
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat((String) row.get("content")).doesNotContain("4411");

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String list = owner.get("/inbox?view=all").text();
        assertThat(list).as("the list's preview").contains("This message was deleted").doesNotContain("4411");
    }

    // ---- Coexistence: the WhatsApp Business app on the same number --------------------------------------------------

    @Test
    void an_echo_is_an_outbound_message_from_the_phone_with_its_statuses_and_nothing_is_sent() {
        assertThat(coexistence()).isFalse();
        postAndWait(customerMessage("wamid.question", 1739321000, text("Where can I buy the Quest 3?")));

        postAndWait(example("smb-message-echoes.json"));
        postAndWait(example("smb-message-echoes.json"));

        String echo = "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA";
        var row = message(echo);
        assertThat(row.get("direction")).isEqualTo("OUTBOUND");
        assertThat(row.get("sent_from")).isEqualTo("BUSINESS_APP");
        assertThat(row.get("status")).isEqualTo("SENT");
        assertThat((String) row.get("body")).startsWith("Here's the info you requested!");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", workspace.id())
                .query(Integer.class).single()).as("stored once").isEqualTo(1);
        assertThat(row.get("conversation_id")).as("in the customer's conversation").isEqualTo(message("wamid.question").get("conversation_id"));
        var conversation = jdbc.sql("select last_inbound_at, last_outbound_at from conversations where tenant_id = :t and id = :id")
                .param("t", workspace.id()).param("id", row.get("conversation_id")).query().singleRow();
        assertThat(((java.sql.Timestamp) conversation.get("last_outbound_at")).toInstant()).as("the business answered")
                .isEqualTo(java.time.Instant.ofEpochSecond(1739321024));
        assertThat(events.of(workspace.id(), OutboundMessageQueued.class)).as("nothing queued").isEmpty();
        assertThat(events.of(workspace.id(), InboundMessagesReceived.class)).hasSize(1);
        assertThat(coexistence()).as("Meta sends echoes only for coexistence numbers").isTrue();
        assertThat(jdbc.sql("select actor_name from audit_events where tenant_id = :t and action = 'whatsapp.coexistence_on'")
                .param("t", workspace.id()).query(String.class).list()).containsExactly("WhatsApp");

        post(status(echo, "delivered", 1739321030));
        post(status(echo, "read", 1739321040));
        until(() -> "READ".equals(message(echo).get("status")), "the echo's statuses to be applied");

        JsonNode json = ApiClient.json(api(fixtures.apiToken(workspace, Role.SUPERVISOR)).get("/api/v1/messages/" + row.get("id")));
        assertThat(json.get("sentFrom").asString()).isEqualTo("business_app");
        assertThat(json.get("direction").asString()).isEqualTo("outbound");
    }

    @Test
    void an_echoed_edit_and_revoke_change_the_business_apps_message() {
        postAndWait(echo(ORIGINAL, 1749854500, "\"type\":\"image\",\"image\":{\"caption\":\"Our new catalogue\",\"mime_type\":\"image/jpeg\","
                + "\"sha256\":\"abc\",\"id\":\"media-from-app\"}"));
        assertThat(message(ORIGINAL).get("sent_from")).isEqualTo("BUSINESS_APP");

        postAndWait(example("smb-message-echoes-edit.json"));
        assertThat(message(ORIGINAL).get("body")).isEqualTo("Updated image caption");
        assertThat((String) message(ORIGINAL).get("edits")).contains("Our new catalogue");

        postAndWait(example("smb-message-echoes-revoke.json"));
        var row = message(ORIGINAL);
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(row.get("body")).isNull();
        assertThat(messageCount()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from media_files where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void a_customers_edit_cannot_change_what_the_business_sent() {
        postAndWait(echo(ORIGINAL, 1749854500, text("Price is 1,200")));
        postAndWait(customerMessage("wamid.customer-edit", 1749854600, edit(ORIGINAL, "Price is 12")));

        assertThat(message(ORIGINAL).get("body")).isEqualTo("Price is 1,200");
        assertThat(jdbc.sql("select count(*) from webhook_parked_changes where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void the_app_address_book_names_contacts_unless_the_team_named_them_and_removing_keeps_the_contact() {
        postAndWait(example("smb-app-state-sync.json"));
        var pablo = contact(CUSTOMER);
        assertThat(pablo.get("name")).isEqualTo("Pablo Morales");
        assertThat(pablo.get("address_book_name")).isEqualTo("Pablo Morales");

        postAndWait(customerMessage("wamid.pablo", 1739321100, text("Hola")));
        postAndWait(stateSync(CUSTOMER, "remove", null));
        var removed = contact(CUSTOMER);
        assertThat(removed.get("id")).as("the contact stays").isEqualTo(pablo.get("id"));
        assertThat(removed.get("name")).as("the name came from the address book").isNull();
        assertThat(removed.get("address_book_name")).isNull();
        assertThat(messageCount()).as("and its history").isEqualTo(1);

        // A name the team gave is theirs: the address book does not overwrite it, and removing it keeps it.
        ApiClient supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
        Response named = supervisor.send("PATCH", "/api/v1/contacts/" + pablo.get("id"), "{\"name\":\"Pablo (wholesale)\"}");
        assertThat(named.status()).as(named.text()).isEqualTo(200);
        postAndWait(stateSync(CUSTOMER, "add", "Pablo M."));
        assertThat(contact(CUSTOMER).get("name")).isEqualTo("Pablo (wholesale)");
        assertThat(contact(CUSTOMER).get("address_book_name")).isEqualTo("Pablo M.");
        postAndWait(stateSync(CUSTOMER, "remove", null));
        assertThat(contact(CUSTOMER).get("name")).isEqualTo("Pablo (wholesale)");
        assertThat(coexistence()).isTrue();
    }

    // ---- What people see ----------------------------------------------------------------------------------------------

    @Test
    void the_conversation_shows_edited_with_earlier_versions_deleted_and_from_the_phone() {
        postAndWait(customerMessage("wamid.v1", 1749854000, text("Need 2 <b>kg</b> of tea")));
        postAndWait(customerMessage("wamid.v1-edit", 1749854060, edit("wamid.v1", "Need 3 kg of tea")));
        postAndWait(customerMessage("wamid.gone", 1749854100, text("Quxwordlike secret address")));
        postAndWait(customerMessage("wamid.gone-revoke", 1749854160, "\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"wamid.gone\"}"));
        postAndWait(echo("wamid.app-reply", 1749854200, text("Sending 3 kg today")));
        UUID conversation = (UUID) message("wamid.v1").get("conversation_id");

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String page = owner.get("/inbox/conversations/" + conversation).text();

        assertThat(page).contains("Need 3 kg of tea").contains("data-testid=\"edited\"").contains("Earlier versions")
                .as("an earlier version is text too").contains("Need 2 &lt;b&gt;kg&lt;/b&gt; of tea").doesNotContain("<b>kg</b>");
        assertThat(page).contains("data-testid=\"deleted\"").contains("This message was deleted").doesNotContain("Quxwordlike");
        assertThat(page).contains("data-testid=\"from-phone\"").contains("from the phone").contains("Sending 3 kg today");

        String search = owner.get("/inbox/search?q=" + URLEncoder.encode("Quxwordlike", StandardCharsets.UTF_8)).text();
        assertThat(search).doesNotContain("Quxwordlike secret");
        assertThat(owner.get("/inbox/search?q=tea").text()).contains("Need 3 kg of tea");
    }

    @Test
    void an_admin_switches_coexistence_on_the_numbers_page_audited_and_an_agent_cannot() {
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/settings/whatsapp").text()).contains("data-coexistence=\"off\"");

        assertThat(owner.follow("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "true")).text())
                .contains("data-coexistence=\"on\"").contains("messages from the WhatsApp Business app are shown");
        assertThat(coexistence()).isTrue();
        owner.follow("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "true"));
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'whatsapp.coexistence_on'").param("t", workspace.id())
                .query(Integer.class).single()).as("switching on what is on changes nothing").isEqualTo(1);

        assertThat(owner.post("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "maybe")).status()).isEqualTo(400);
        assertThat(coexistence()).isTrue();

        WebClient agent = browser();
        agent.signIn(fixtures.member(workspace, Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.post("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "false")).status()).isEqualTo(403);
        WebClient stranger = browser();
        stranger.signIn(fixtures.workspace("Not Theirs Co").owner().email(), Fixtures.PASSWORD);
        assertThat(stranger.post("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "false")).status()).isEqualTo(404);
        assertThat(coexistence()).isTrue();

        JsonNode shown = ApiClient.json(api(fixtures.apiToken(workspace, Role.ADMIN)).get("/api/v1/whatsapp/connections/" + connection.id()));
        assertThat(shown.get("coexistence").asBoolean()).as("the API shows it too").isTrue();

        owner.follow("/settings/whatsapp/" + connection.id() + "/coexistence", Map.of("on", "false"));
        assertThat(coexistence()).isFalse();
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'whatsapp.coexistence_off'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(1);
    }

    // ---- Payloads -----------------------------------------------------------------------------------------------------

    private static String text(String body) {
        return "\"type\":\"text\",\"text\":{\"body\":" + quoted(body) + "}";
    }

    private static String edit(String original, String newText) {
        return "\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + original + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":"
                + quoted(newText) + "}}}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String customerMessage(String wamid, long timestamp, String typed) {
        return customerMessage(wamid, timestamp, typed, CUSTOMER);
    }

    /** A {@code messages} change with one customer's message. */
    private String customerMessage(String wamid, long timestamp, String typed, String from) {
        return "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + connection.displayPhoneNumber() + "\",\"phone_number_id\":\"" + connection.phoneNumberId() + "\"},"
                + "\"contacts\":[{\"profile\":{\"name\":\"Sheena Nelson\"},\"wa_id\":\"" + from + "\"}],"
                + "\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + timestamp + "\"," + typed + "}]}}";
    }

    /** A {@code smb_message_echoes} change with one message the business sent from the app. */
    private String echo(String wamid, long timestamp, String typed) {
        return "{\"field\":\"smb_message_echoes\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + connection.displayPhoneNumber() + "\",\"phone_number_id\":\"" + connection.phoneNumberId() + "\"},"
                + "\"message_echoes\":[{\"from\":\"" + connection.displayPhoneNumber() + "\",\"to\":\"" + CUSTOMER + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + timestamp + "\"," + typed + "}]}}";
    }

    private String stateSync(String phone, String action, String fullName) {
        return "{\"field\":\"smb_app_state_sync\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + connection.displayPhoneNumber() + "\",\"phone_number_id\":\"" + connection.phoneNumberId() + "\"},"
                + "\"state_sync\":[{\"type\":\"contact\",\"contact\":{" + (fullName == null ? "" : "\"full_name\":" + quoted(fullName) + ",")
                + "\"phone_number\":\"" + phone + "\"},\"action\":\"" + action + "\",\"metadata\":{\"timestamp\":\"1739321200\"}}]}}";
    }

    private String status(String wamid, String status, long timestamp) {
        return "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1\","
                + "\"phone_number_id\":\"" + connection.phoneNumberId() + "\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status
                + "\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"" + CUSTOMER + "\"}]}}";
    }

    /** A POST of Meta's shape with these changes in one entry. */
    private static String postOf(String... changes) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[" + String.join(",", changes) + "]}]}";
    }

    /** Meta's example, addressed to our connected number. */
    private String example(String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("whatsapp/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("\"phone_number_id\"\\s*:\\s*\"[^\"]*\"", "\"phone_number_id\": \"" + connection.phoneNumberId() + "\"");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Posts a change (or a whole POST) signed as Meta signs it, and waits until the app has processed it. */
    private void postAndWait(String changeOrPost) {
        post(changeOrPost);
        // The POST is stored before Meta gets its 200: processed when none of the workspace's is left to process.
        until(() -> jdbc.sql("select count(*) from webhook_events where tenant_id = :t and processed_at is null").param("t", workspace.id())
                .query(Integer.class).single() == 0, "the webhook to be processed");
    }

    private void post(String changeOrPost) {
        meta.post(changeOrPost.matches("(?s)\\{\\s*\"object\".*") ? changeOrPost : postOf(changeOrPost));
    }

    private Map<String, Object> message(String wamid) {
        return jdbc.sql("""
                select id, conversation_id, direction, status, body, content::text as content, edits::text as edits, edited_at, deleted_at,
                       edit_of, sent_from
                  from messages where tenant_id = :t and wamid = :w
                """).param("t", workspace.id()).param("w", wamid).query().singleRow();
    }

    private int messageCount() {
        return jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    private Map<String, Object> contact(String waId) {
        return jdbc.sql("select id, name, address_book_name from contacts where tenant_id = :t and wa_id = :w")
                .param("t", workspace.id()).param("w", waId).query().singleRow();
    }

    private boolean coexistence() {
        return jdbc.sql("select coexistence from whatsapp_connections where id = :id").param("id", connection.id()).query(Boolean.class).single();
    }

    private java.nio.file.Path blobPath(String key) {
        return properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(key);
    }

    /** A moment after the sandbox's customer wrote, whichever clock it wrote by. */
    private long later(int seconds) {
        return Math.max(clock.instant().getEpochSecond(), System.currentTimeMillis() / 1000) + 3600 + seconds;
    }

    private static byte[] jpeg() {
        byte[] bytes = new byte[20_000];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[2] = (byte) 0xff;
        bytes[3] = (byte) 0xe0;
        return bytes;
    }
}
