package hexa.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class AuditTrailTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditTrail trail;

    @Test
    void the_trail_can_only_be_appended_to() {
        var workspace = fixtures.workspace("Append Co");
        try (var ignored = fixtures.actAsOwner(workspace)) {
            trail.record(AuditEntry.of("test.something"));
        }

        assertThatThrownBy(() -> jdbc.sql("update audit_events set action = 'forged' where tenant_id = :t").param("t", workspace.id()).update())
                .rootCause().hasMessageContaining("audit events cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_events where tenant_id = :t").param("t", workspace.id()).update())
                .rootCause().hasMessageContaining("kept for 180 days");
        assertThatThrownBy(() -> jdbc.sql("truncate audit_events").update())
                .rootCause().hasMessageContaining("cannot be truncated");
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'test.something'").param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void entries_record_who_what_when_and_from_where() {
        var workspace = fixtures.workspace("Where Co");
        WebClient owner = browser().userAgent("Mozilla/5.0 (Audit Test)");
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        var row = jdbc.sql("select actor_kind, actor_id, actor_name, ip_address, user_agent from audit_events where tenant_id = :t and action = 'sign_in.succeeded'")
                .param("t", workspace.id()).query().singleRow();

        assertThat(row.get("actor_kind")).isEqualTo("USER");
        assertThat(row.get("actor_id")).isEqualTo(workspace.owner().id());
        assertThat(row.get("actor_name")).isEqualTo(workspace.owner().name());
        assertThat(row.get("ip_address")).isEqualTo(owner.address());
        assertThat(row.get("user_agent")).isEqualTo("Mozilla/5.0 (Audit Test)");
    }

    @Test
    void owners_and_admins_browse_and_filter_the_log_but_others_cannot() {
        var workspace = fixtures.workspace("Browse Co");
        var admin = fixtures.member(workspace, Role.ADMIN);
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/api-tokens", Map.of("name", "Reporting", "role", "ANALYST"));
        WebClient adminBrowser = browser();
        adminBrowser.signIn(admin.email(), Fixtures.PASSWORD);

        Response all = adminBrowser.get("/settings/audit-log");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.text()).contains("api_token.created").contains("sign_in.succeeded").contains("Reporting");
        assertThat(all.text()).as("actions in words, details as name and value")
                .contains("API token created").contains("Signed in").contains("<div>role: ANALYST</div>")
                .contains("<option value=\"api_token.created\">API token created</option>");

        Response byAction = adminBrowser.get("/settings/audit-log?action=api_token.created");
        assertThat(byAction.text()).contains("data-action=\"api_token.created\"").doesNotContain("data-action=\"sign_in.succeeded\"");

        Response byPerson = adminBrowser.get("/settings/audit-log?actor=" + admin.id());
        assertThat(byPerson.text()).contains("data-action=\"sign_in.succeeded\"").doesNotContain("data-action=\"api_token.created\"");

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Kolkata"));
        Response past = adminBrowser.get("/settings/audit-log?to=" + today.minusDays(2));
        assertThat(past.text()).contains("No entries match these filters");
        Response current = adminBrowser.get("/settings/audit-log?from=" + today + "&to=" + today);
        assertThat(current.text()).contains("data-action=\"api_token.created\"");

        WebClient supervisor = browser();
        supervisor.signIn(fixtures.member(workspace, Role.SUPERVISOR).email(), Fixtures.PASSWORD);
        assertThat(supervisor.get("/settings/audit-log").status()).isEqualTo(403);
    }

    @Test
    void the_log_pages_through_long_histories_without_gaps_or_repeats() {
        var workspace = fixtures.workspace("Long Co");
        try (var ignored = fixtures.actAsOwner(workspace)) {
            for (int i = 0; i < 120; i++) {
                trail.record(AuditEntry.of("bulk.event").target("item", i, "item-" + i));
            }
        }
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        java.util.Set<String> seen = new java.util.HashSet<>();
        String path = "/settings/audit-log?action=bulk.event";
        int pages = 0;
        while (path != null) {
            String html = owner.get(path).text();
            var matcher = java.util.regex.Pattern.compile(">item-(\\d+)<").matcher(html);
            while (matcher.find()) {
                assertThat(seen.add(matcher.group(1))).as("item " + matcher.group(1) + " shown twice").isTrue();
            }
            var next = java.util.regex.Pattern.compile("href=\"(/settings/audit-log\\?[^\"]*after=[^\"]+)\"").matcher(html);
            path = next.find() ? next.group(1).replace("&amp;", "&") : null;
            pages++;
        }
        assertThat(seen).hasSize(120);
        assertThat(pages).isEqualTo(3);
    }
}
