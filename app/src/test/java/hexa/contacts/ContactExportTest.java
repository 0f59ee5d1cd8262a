package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The CSV export: every field and custom attribute, formulas neutralised, UTF-8 with a BOM, a filter or a selection. */
class ContactExportTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void every_field_and_attribute_is_a_column_and_formulas_are_neutralised() throws IOException {
        var workspace = fixtures.workspace("Export Co");
        var agent = fixtures.member(workspace, Role.AGENT);
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        rows.attribute("city", "City", "list", "Pune");
        rows.attribute("vip_since", "VIP since", "date");
        rows.attribute("notes", "Remarks", "text");
        Instant consentAt = Instant.parse("2026-03-04T05:06:07Z");
        UUID hostile = rows.contact("=HYPERLINK(\"http://evil.example\",\"click\")").phone("+919876543210").email("@SUM(A1:A2)")
                .company("-2+3").owner(agent.id()).attributes(Map.of("city", "Pune", "vip_since", "2025-01-02", "notes", "\tcmd|' /C calc'!A0"))
                .consent("opted_in", "form", consentAt).tags("vip", "customer").save();
        rows.contact("Zoë Ünal, \"quoted\"\nnew line").email("zoe@example.com").company("\rCR").save();

        Response response = api(fixtures.apiToken(workspace, Role.ADMIN)).get("/api/v1/contacts/export?sort=name");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/csv");
        assertThat(response.header("Content-Disposition")).contains("attachment").contains(".csv");
        assertThat(response.text()).startsWith("\uFEFF");

        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.text().substring(1))).getRecords();
        assertThat(records.get(0).getParser().getHeaderNames()).containsExactly("id", "name", "profile_name", "phone", "whatsapp_user_id", "email",
                "company", "owner_name", "owner_email", "tags", "marketing_consent", "marketing_consent_source", "marketing_consent_at", "blocked",
                "blocked_at", "created_at", "last_activity_at", "City", "VIP since", "Remarks");
        assertThat(records).hasSize(2);
        CSVRecord first = records.get(0);
        assertThat(first.get("id")).isEqualTo(hostile.toString());
        assertThat(first.get("name")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(first.get("phone")).isEqualTo("'+919876543210");
        assertThat(first.get("email")).isEqualTo("'@SUM(A1:A2)");
        assertThat(first.get("company")).isEqualTo("'-2+3");
        assertThat(first.get("owner_name")).isEqualTo(agent.name());
        assertThat(first.get("owner_email")).isEqualTo(agent.email());
        assertThat(first.get("tags")).isEqualTo("customer, vip");
        assertThat(first.get("marketing_consent")).isEqualTo("opted_in");
        assertThat(first.get("marketing_consent_source")).isEqualTo("form");
        assertThat(first.get("marketing_consent_at")).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(first.get("blocked")).isEqualTo("no");
        assertThat(first.get("City")).isEqualTo("Pune");
        assertThat(first.get("VIP since")).isEqualTo("2025-01-02");
        assertThat(first.get("Remarks")).isEqualTo("'\tcmd|' /C calc'!A0");
        CSVRecord second = records.get(1);
        assertThat(second.get("name")).isEqualTo("Zoë Ünal, \"quoted\"\nnew line");
        assertThat(second.get("company")).isEqualTo("'\rCR");
        assertThat(second.get("City")).isEmpty();

        String details = jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.exported'")
                .param("t", workspace.id()).query(String.class).single();
        assertThat(details).contains("\"rows\": 2").contains("\"filter\": \"\"");
    }

    @Test
    void a_filter_or_a_ticked_selection_is_exported_and_nothing_else() {
        var workspace = fixtures.workspace("Export Filter Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        UUID vip = rows.contact("Vip Person").tags("vip").save();
        UUID other = rows.contact("Other Person").save();
        UUID third = rows.contact("Third Person").save();
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));

        String vips = api.get("/api/v1/contacts/export?tag=vip").text();
        assertThat(vips).contains("Vip Person").doesNotContain("Other Person");
        assertThat(api.get("/api/v1/contacts/export?consent=maybe").status()).isEqualTo(400);

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        Response page = owner.get("/contacts/export?query=person&sort=name");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Other Person").contains("Third Person").contains("Vip Person");
        Response selection = owner.post("/contacts/bulk", Map.of("action", "export", "scope", "selected", "ids", other.toString(), "filter", ""));
        assertThat(selection.status()).isEqualTo(200);
        assertThat(selection.header("Content-Type")).startsWith("text/csv");
        assertThat(selection.text()).contains(other.toString()).doesNotContain(vip.toString()).doesNotContain(third.toString());
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'contacts.exported' order by occurred_at")
                .param("t", workspace.id()).query(String.class).list()).hasSize(3).last().asString().contains("\"selected\": 1");
    }
}
