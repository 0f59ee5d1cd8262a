package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Settings → Privacy and a contact's legal hold page, over HTTP as a browser uses them. */
class RetentionPagesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_owner_sets_the_periods_with_clear_errors_sees_the_dry_run_and_runs_the_purge_by_hand() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Privacy Page");
        WebClient owner = signedIn(workspace.owner());

        Response page = owner.get("/settings/privacy");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Messages and media", "value=\"90\"", "value=\"180\"", "Kept until processed, then 7 more days",
                "The purge has not run yet", "href=\"/settings/privacy\"");

        Response refused = owner.post("/settings/privacy", Map.of("messageDays", "10", "contactDays", "", "keepContacts", "true", "logDays", "180"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("enter a number of days from 30 to 3,650", "value=\"10\"", "is-invalid");
        assertThat(saved(workspace.id())).isZero();

        assertThat(owner.post("/settings/privacy", Map.of("messageDays", "", "contactDays", "", "keepContacts", "true", "logDays", "180")).status())
                .as("no number and no Keep is refused, not taken as keep").isEqualTo(400);

        Response saved = owner.follow("/settings/privacy", Map.of("messageDays", "", "keepMessages", "true", "contactDays", "400", "logDays", "365"));
        assertThat(saved.text()).contains("Retention periods saved.", "value=\"400\"", "value=\"365\"", "Last changed by");
        assertThat(jdbc.sql("select message_days is null and contact_inactive_days = 400 and log_days = 365 from privacy_settings where tenant_id = :t")
                .param("t", workspace.id()).query(Boolean.class).single()).isTrue();

        Response counted = owner.follow("/settings/privacy/dry-run", Map.of());
        assertThat(counted.text()).contains("Dry run done: 0 rows would be removed.", "Nothing has expired");

        Response ran = owner.follow("/settings/privacy/run", Map.of());
        assertThat(ran.text()).contains("The purge removed 0 rows.", "ran the purge by hand", "data-confirm=");
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t and action like 'privacy.%' order by occurred_at")
                .param("t", workspace.id()).query(String.class).list())
                .containsExactly("privacy.retention_changed", "privacy.purge_run_by_hand");
        Response log = owner.get("/settings/audit-log");
        assertThat(log.text()).contains("Changed the retention periods", "Ran the retention purge by hand");
    }

    @Test
    void only_owners_reach_the_privacy_settings() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Privacy Admins");
        WebClient admin = signedIn(fixtures.member(workspace, Role.ADMIN));
        assertThat(admin.get("/settings/privacy").status()).isEqualTo(403);
        assertThat(admin.post("/settings/privacy/run", Map.of()).status()).isEqualTo(403);
        assertThat(admin.get("/settings/inbox").text()).doesNotContain("href=\"/settings/privacy\"");
    }

    @Test
    void an_owner_holds_a_contact_with_a_reason_and_releases_it_and_another_workspace_gets_404() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Hold Page");
        UUID conversation = shop.customer().writes("919810000401", "Hello", "Asha <b>Bold</b>");
        UUID contact = jdbc.sql("select contact_id from conversations where tenant_id = :t and id = :c").param("t", shop.id()).param("c", conversation)
                .query(UUID.class).single();
        WebClient owner = signedIn(shop.owner());
        String path = "/contacts/" + contact + "/hold";

        Response page = owner.get(path);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("This contact is not on hold.", "No hold has been placed", "Asha &lt;b&gt;Bold&lt;/b&gt;")
                .doesNotContain("<b>Bold</b>");

        Response empty = owner.follow(path, Map.of("reason", "  "));
        assertThat(empty.text()).contains("Say why this contact is held.", "This contact is not on hold.");

        Response held = owner.follow(path, Map.of("reason", "Dispute <script>x</script>"));
        assertThat(held.text()).contains("The contact is on legal hold.", "Dispute &lt;script&gt;", "Release the hold", "data-confirm=");
        assertThat(jdbc.sql("select count(*) from privacy_legal_holds where tenant_id = :t and contact_id = :c and released_at is null")
                .param("t", shop.id()).param("c", contact).query(Long.class).single()).isEqualTo(1L);

        Response released = owner.follow(path + "/release", Map.of());
        assertThat(released.text()).contains("The hold is released.", "This contact is not on hold.", "Released by");

        Fixtures.TestWorkspace other = fixtures.workspace("Other Hold");
        WebClient stranger = signedIn(other.owner());
        assertThat(stranger.get(path).status()).isEqualTo(404);
        assertThat(stranger.post(path, Map.of("reason", "Not yours")).status()).isEqualTo(404);
        assertThat(stranger.get("/contacts/not-an-id/hold").status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from privacy_legal_holds where tenant_id = :t").param("t", other.id()).query(Long.class).single()).isZero();
        WebClient admin = signedIn(fixtures.member(shop.workspace(), Role.ADMIN));
        assertThat(admin.get(path).status()).isEqualTo(403);
    }

    private WebClient signedIn(Fixtures.Person person) {
        WebClient client = browser();
        client.signIn(person.email(), Fixtures.PASSWORD);
        return client;
    }

    private long saved(UUID tenant) {
        return jdbc.sql("select count(*) from privacy_settings where tenant_id = :t").param("t", tenant).query(Long.class).single();
    }
}
