package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Meta sends all webhooks of one Meta app to the one callback URL set in its dashboard. Two workspaces
 * that connect numbers of the same Meta app therefore receive each other's changes on one callback:
 * each change is applied in the workspace whose number it names, and only under the same app.
 */
class SharedMetaAppTest extends HexaIntegrationTest {

    private static final String APP_ID = "8800112233";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SandboxNumbers meta;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private String appSecret;
    private Fixtures.TestWorkspace first;
    private Fixtures.TestWorkspace second;
    private Connected firstNumber;
    private Connected secondNumber;

    private record Connected(BusinessNumber number, UUID connectionId, String callbackUrl, String verifyToken) {
    }

    @BeforeEach
    void twoWorkspacesConnectNumbersOfOneMetaApp() {
        appSecret = "shared-app-secret-" + System.nanoTime();
        first = fixtures.workspace("Shared App North");
        second = fixtures.workspace("Shared App South");
        firstNumber = connect(first, APP_ID, appSecret);
        secondNumber = connect(second, APP_ID, appSecret);
        // The app's callback URL in Meta's dashboard is the first workspace's: the second's Owner approves it.
        assertThat(approve(second, secondNumber, firstNumber.callbackUrl()).text()).contains("are now applied here");
    }

    @Test
    void a_change_for_another_workspaces_number_is_applied_only_while_its_owner_approves_the_callback() throws Exception {
        var north = fixtures.workspace("Unapproved North");
        var south = fixtures.workspace("Unapproved South");
        String secret = "another-shared-secret-" + System.nanoTime();
        Connected northNumber = connect(north, APP_ID, secret);
        Connected southNumber = connect(south, APP_ID, secret);
        double unapprovedBefore = counter("shared_app_unapproved");

        // Anyone holding the app's secret (any workspace of the app) could sign this: without approval it is skipped.
        post(northNumber.callbackUrl(), secret, change(southNumber, "919800100011", "wamid.unapproved-1", "Forged into the south"),
                change(northNumber, "919800100012", "wamid.north-own", "North's own"));
        awaitTrue(() -> messageCount(north) == 1 && counter("shared_app_unapproved") - unapprovedBefore >= 1);
        assertThat(messageCount(south)).isZero();

        // Only the number's Owner may approve, and only a callback URL of the same Meta app in another workspace.
        hexa.support.WebClient admin = browser();
        admin.signIn(fixtures.member(south, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.post("/settings/whatsapp/" + southNumber.connectionId() + "/shared-callbacks",
                java.util.Map.of("callbackUrl", northNumber.callbackUrl())).status()).isEqualTo(403);
        assertThat(approve(south, southNumber, southNumber.callbackUrl()).text()).contains("not the callback URL of a connected number");
        assertThat(approve(south, southNumber, baseUrl() + "/webhooks/whatsapp/whk_nothing").text()).contains("not the callback URL");
        assertThat(jdbc.sql("select count(*) from whatsapp_shared_app_approvals where tenant_id = :t").param("t", south.id())
                .query(Integer.class).single()).isZero();

        assertThat(approve(south, southNumber, northNumber.callbackUrl()).text()).contains("are now applied here");
        post(northNumber.callbackUrl(), secret, change(southNumber, "919800100011", "wamid.approved-1", "Through the approved callback"));
        awaitTrue(() -> messageCount(south) == 1);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'whatsapp.shared_callback_approved'")
                .param("t", south.id()).query(Integer.class).single()).isEqualTo(1);

        hexa.support.WebClient owner = browser();
        owner.signIn(south.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/whatsapp/" + southNumber.connectionId() + "/shared-callbacks/" + northNumber.connectionId() + "/revoke",
                java.util.Map.of());
        double before = counter("shared_app_unapproved");
        post(northNumber.callbackUrl(), secret, change(southNumber, "919800100011", "wamid.revoked-1", "After the approval ended"));
        awaitTrue(() -> counter("shared_app_unapproved") - before >= 1);
        assertThat(messageCount(south)).as("skipped again").isEqualTo(1);
    }

    /** The number's workspace's Owner approves a callback URL on Settings → WhatsApp; answers the page shown after. */
    private Response approve(Fixtures.TestWorkspace workspace, Connected number, String callbackUrl) {
        hexa.support.WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        return owner.follow("/settings/whatsapp/" + number.connectionId() + "/shared-callbacks", java.util.Map.of("callbackUrl", callbackUrl));
    }

    @Test
    void one_post_with_changes_for_both_numbers_lands_each_in_its_own_workspace() throws Exception {
        String body = post(firstNumber.callbackUrl(), appSecret, change(firstNumber, "919800100001", "wamid.shared-north", "For the north shop"),
                change(secondNumber, "919800100002", "wamid.shared-south", "For the south shop"));
        assertThat(body).isEqualTo("200");

        awaitTrue(() -> messageCount(second) == 1 && messageCount(first) == 1);
        assertThat(messagesOf(first)).containsExactly("For the north shop|" + firstNumber.connectionId());
        assertThat(messagesOf(second)).as("stored in the workspace that connected the number, on its connection")
                .containsExactly("For the south shop|" + secondNumber.connectionId());
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t and wa_id = '919800100002'").param("t", first.id())
                .query(Integer.class).single()).as("the other workspace's customer is not created in the receiving one").isZero();
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t and wa_id = '919800100002'").param("t", second.id())
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = :t and (processed_at is null or last_error is not null)")
                .param("t", first.id()).query(Integer.class).single()).isZero();
    }

    @Test
    void statuses_for_the_other_workspaces_number_move_its_messages() throws Exception {
        post(secondNumber.callbackUrl(), appSecret, change(secondNumber, "919800100003", "wamid.south-inbound", "hello"));
        awaitTrue(() -> messageCount(second) == 1);
        String outbound = "wamid.south-outbound-" + System.nanoTime();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                select tenant_id, gen_random_uuid(), conversation_id, contact_id, 'OUTBOUND', :wamid, 'text', 'Thanks!', '{}'::jsonb, 'SENT', now(), now()
                  from messages where tenant_id = :t limit 1
                """).param("t", second.id()).param("wamid", outbound).update();

        // The status comes in on the first workspace's callback, as Meta sends it to the app's one URL.
        post(firstNumber.callbackUrl(), appSecret, "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                + "\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":\"" + secondNumber.number().phoneNumberId() + "\"},"
                + "\"statuses\":[{\"id\":\"" + outbound + "\",\"status\":\"read\",\"timestamp\":\"1700000300\",\"recipient_id\":\"919800100003\"}]}}");

        awaitTrue(() -> "READ".equals(jdbc.sql("select status from messages where tenant_id = :t and wamid = :w").param("t", second.id())
                .param("w", outbound).query(String.class).single()));
    }

    @Test
    void numbers_of_another_meta_app_or_of_no_workspace_are_skipped_and_counted() throws Exception {
        var third = fixtures.workspace("Other App Co");
        var fourth = fixtures.workspace("Same Id Other Secret Co");
        Connected otherApp = connect(third, "9900112233", appSecret);
        Connected otherSecret = connect(fourth, APP_ID, "another-secret-" + System.nanoTime());
        double otherAppBefore = counter("other_app");
        double notConnectedBefore = counter("not_connected");

        post(firstNumber.callbackUrl(), appSecret,
                change(otherApp, "919800100004", "wamid.other-app", "Not yours: another app id"),
                change(otherSecret, "919800100005", "wamid.other-secret", "Not yours: another app secret"),
                "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1\","
                        + "\"phone_number_id\":\"111222333444555\"},\"contacts\":[{\"profile\":{\"name\":\"Nobody\"},\"wa_id\":\"919800100006\"}],"
                        + "\"messages\":[{\"from\":\"919800100006\",\"id\":\"wamid.no-workspace\",\"timestamp\":\"1700000000\",\"type\":\"text\","
                        + "\"text\":{\"body\":\"Not connected anywhere\"}}]}}",
                change(firstNumber, "919800100007", "wamid.mine", "Mine"));

        // The routes are counted just after the batch commits: wait for the counts too, then check they are exact.
        awaitTrue(() -> messageCount(first) == 1 && counter("other_app") - otherAppBefore >= 2 && counter("not_connected") - notConnectedBefore >= 1);
        assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = :t and processed_at is not null").param("t", first.id())
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(messageCount(third)).isZero();
        assertThat(messageCount(fourth)).isZero();
        assertThat(jdbc.sql("select count(*) from messages where wamid in ('wamid.other-app', 'wamid.other-secret', 'wamid.no-workspace')")
                .query(Integer.class).single()).as("skipped everywhere").isZero();
        assertThat(counter("other_app") - otherAppBefore).isEqualTo(2);
        assertThat(counter("not_connected") - notConnectedBefore).isEqualTo(1);
    }

    @Test
    void the_sandbox_playing_meta_delivers_the_second_workspaces_number_to_the_apps_one_callback() throws Exception {
        // In Meta's dashboard the app's callback URL is the first workspace's; both numbers belong to the app.
        meta.register(firstNumber.number().phoneNumberId(), firstNumber.number().wabaId(), firstNumber.number().displayPhoneNumber(),
                firstNumber.number().accessToken(), appSecret, firstNumber.callbackUrl(), firstNumber.verifyToken());
        meta.register(secondNumber.number().phoneNumberId(), secondNumber.number().wabaId(), secondNumber.number().displayPhoneNumber(),
                secondNumber.number().accessToken(), appSecret, firstNumber.callbackUrl(), firstNumber.verifyToken());
        assertThat(meta.awaitWebhookVerified(secondNumber.number().phoneNumberId(), Duration.ofSeconds(15))).isTrue();

        customerOf(second.id(), secondNumber.number().phoneNumberId()).sends("919800100008", "Written to the south number");
        customerOf(first.id(), firstNumber.number().phoneNumberId()).sends("919800100009", "Written to the north number");

        awaitTrue(() -> messageCount(second) == 1 && messageCount(first) == 1);
        assertThat(messagesOf(second)).containsExactly("Written to the south number|" + secondNumber.connectionId());
        assertThat(messagesOf(first)).containsExactly("Written to the north number|" + firstNumber.connectionId());
        assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = :t").param("t", second.id()).query(Integer.class).single())
                .as("every POST came in on the first workspace's callback").isZero();
    }

    private Connected connect(Fixtures.TestWorkspace workspace, String appId, String secret) {
        BusinessNumber number = meta.register("", "", "", "EAAG-shared-" + System.nanoTime(), "unused", "", "");
        Response created = api(fixtures.apiToken(workspace, Role.ADMIN)).send("POST", "/api/v1/whatsapp/connections", """
                {"appId": "%s", "appSecret": "%s", "accessToken": "%s", "wabaId": "%s", "phoneNumberId": "%s"}
                """.formatted(appId, secret, number.accessToken(), number.wabaId(), number.phoneNumberId()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode json = ApiClient.json(created);
        return new Connected(number, UUID.fromString(json.get("id").asString()), json.get("callbackUrl").asString(),
                json.get("verifyToken").asString());
    }

    private static String change(Connected to, String customer, String wamid, String text) {
        return "{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + to.number().displayPhoneNumber() + "\",\"phone_number_id\":\"" + to.number().phoneNumberId() + "\"},"
                + "\"contacts\":[{\"profile\":{\"name\":\"Customer " + customer + "\"},\"wa_id\":\"" + customer + "\"}],"
                + "\"messages\":[{\"from\":\"" + customer + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"1700000000\",\"type\":\"text\","
                + "\"text\":{\"body\":\"" + text + "\"}}]}}";
    }

    /** One signed POST holding the given changes, as Meta batches them; answers the HTTP status. */
    private String post(String callbackUrl, String secret, String... changes) throws Exception {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[" + String.join(",", changes) + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(callbackUrl))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", WebhookSignature.of(body, secret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return Integer.toString(response.statusCode());
    }

    private int messageCount(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    private List<String> messagesOf(Fixtures.TestWorkspace workspace) {
        return jdbc.sql("""
                select m.body || '|' || v.connection_id from messages m
                  join conversations v on v.tenant_id = m.tenant_id and v.id = m.conversation_id
                 where m.tenant_id = :t
                """).param("t", workspace.id()).query(String.class).list();
    }

    private double counter(String route) {
        var counter = meters.find("hexa.whatsapp.webhook.changes").tag("route", route).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        Eventually.until(condition, "the webhook to be processed");
    }
}
