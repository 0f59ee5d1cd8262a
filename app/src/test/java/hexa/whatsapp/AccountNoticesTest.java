package hexa.whatsapp;

import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.crypto.SecretBox;
import hexa.support.HexaIntegrationTest;
import hexa.support.SignedWebhooks;
import hexa.support.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Meta's {@code account_update} webhooks about the WhatsApp Business Account a number belongs to: a restriction, a
 * violation, a disabled account are shown to Admins beside the number until they expire or Meta reconnects the account.
 */
class AccountNoticesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretBox secrets;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private SignedWebhooks meta;

    @BeforeEach
    void connectANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Notices Co");
        workspace = shop.workspace();
        number = shop.number();
        meta = new SignedWebhooks(jdbc, secrets, number);
    }

    @Test
    void a_restriction_shows_beside_the_number_until_it_expires_and_a_reconnection_clears_what_is_left() {
        long inADay = Instant.now().plusSeconds(86_400).getEpochSecond();
        long anHourAgo = Instant.now().minusSeconds(3_600).getEpochSecond();
        // Meta's example: two restrictions; one still running, one already over.
        postAndWait(example().replaceFirst("\"expiration\": 1641330498", "\"expiration\": " + inADay)
                .replaceFirst("\"expiration\": 1641330498", "\"expiration\": " + anHourAgo));

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String page = owner.get("/settings/whatsapp").text();
        assertThat(page).contains("data-testid=\"account-notices\"").contains("Starting conversations is restricted")
                .contains("data-kind=\"RESTRICTED_BIZ_INITIATED_MESSAGING\"")
                .as("a restriction that is over is not shown").doesNotContain("RESTRICTED_ADD_PHONE_NUMBER_ACTION");

        postAndWait(accountUpdate(number.wabaId(), "{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"SCAM <b>x</b>\"}}"));
        page = owner.get("/settings/whatsapp").text();
        assertThat(page).contains("The account broke a WhatsApp policy").contains("SCAM &lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");

        postAndWait(accountUpdate(number.wabaId(), "{\"event\":\"ACCOUNT_RECONNECTED\"}"));
        assertThat(owner.get("/settings/whatsapp").text()).doesNotContain("data-testid=\"account-notices\"");
    }

    @Test
    void a_notice_about_an_account_none_of_the_workspaces_numbers_belongs_to_is_not_kept_and_informative_events_are_not_shown() {
        postAndWait(accountUpdate("999000111222", "{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"SPAM\"}}"));
        postAndWait(accountUpdate(number.wabaId(), "{\"event\":\"VERIFIED_ACCOUNT\"}"));
        postAndWait(accountUpdate(number.wabaId(), "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":[\"SCHEDULE_FOR_DISABLE\"],"
                + "\"waba_ban_date\":\"2027-01-31\"}}"));

        assertThat(jdbc.sql("select waba_id || ' ' || kind from whatsapp_account_notices where tenant_id = :t").param("t", workspace.id())
                .query(String.class).list()).containsExactly(number.wabaId() + " DISABLED_UPDATE");
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.get("/settings/whatsapp").text()).contains("The account is disabled or will be")
                .contains("SCHEDULE_FOR_DISABLE 2027-01-31");

        postAndWait(accountUpdate(number.wabaId(), "{\"event\":\"DISABLED_UPDATE\",\"ban_info\":{\"waba_ban_state\":[\"REINSTATE\"]}}"));
        assertThat(admin.get("/settings/whatsapp").text()).doesNotContain("data-testid=\"account-notices\"");
    }

    private String example() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("whatsapp/examples/account-update-account-restriction.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"id\": \"102290129340398\"", "\"id\": \"" + number.wabaId() + "\"");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String accountUpdate(String wabaId, String value) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"time\":" + Instant.now().getEpochSecond()
                + ",\"changes\":[{\"field\":\"account_update\",\"value\":" + value + "}]}]}";
    }

    private void postAndWait(String body) {
        meta.post(body);
        until(() -> jdbc.sql("select count(*) from webhook_events where tenant_id = :t and processed_at is null").param("t", workspace.id())
                .query(Integer.class).single() == 0, "the webhook to be processed");
    }
}
