package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code /contacts} page: empty states, rows and their links, pages, saved segments, hostile text. */
class ContactsPageTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void the_list_shows_contacts_with_links_pages_and_empty_states() {
        var workspace = fixtures.workspace("Page Co");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/contacts").text()).contains("data-testid=\"no-contacts\"").contains("No contacts yet");

        ContactRows rows = new ContactRows(jdbc, workspace.id());
        Instant base = Instant.parse("2026-05-01T00:00:00Z");
        UUID hostile = rows.contact("<script>alert(1)</script>").email("x@evil.example").company("<b>Bold</b>").tags("<i>tag</i>")
                .active(base.plus(Duration.ofDays(1))).save();
        for (int i = 0; i < 60; i++) {
            rows.contact("Customer " + i).active(base.minus(Duration.ofMinutes(i))).save();
        }

        String first = owner.get("/contacts").text();
        assertThat(first).contains("href=\"/contacts/" + hostile + "\"").doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;")
                .doesNotContain("<b>Bold</b>").doesNotContain("<i>tag</i>");
        assertThat(first).as("email and company beneath the name, as text")
                .contains("data-testid=\"contact-email\">x@evil.example<").contains("data-testid=\"contact-company\">&lt;b&gt;Bold&lt;/b&gt;<");
        assertThat(count(first, "data-testid=\"contact-row\"")).isEqualTo(50);
        assertThat(first).contains("data-testid=\"next-page\"").doesNotContain("data-testid=\"previous-page\"").contains(">61<");

        String nextHref = href(first, "next-page");
        String second = owner.get(nextHref).text();
        assertThat(count(second, "data-testid=\"contact-row\"")).isEqualTo(11);
        assertThat(second).contains("Customer 59").doesNotContain("data-testid=\"next-page\"").contains("data-testid=\"previous-page\"");
        String back = owner.get(href(second, "previous-page")).text();
        assertThat(count(back, "data-testid=\"contact-row\"")).isEqualTo(50);
        assertThat(back).contains("&lt;script&gt;").doesNotContain("data-testid=\"previous-page\"");

        String none = owner.get("/contacts?query=nobody-like-this").text();
        assertThat(none).contains("data-testid=\"no-matches\"").contains("No contact matches these filters.");
        Response bad = owner.get("/contacts?consent=maybe");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.text()).contains("data-testid=\"filter-problem\"").contains("is not a consent state");
    }

    @Test
    void a_filter_is_saved_as_a_segment_applied_renamed_and_deleted_from_the_page() {
        var workspace = fixtures.workspace("Segment Page Co");
        ContactRows rows = new ContactRows(jdbc, workspace.id());
        rows.contact("Tagged One").tags("lead").save();
        rows.contact("Untagged").save();
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        String filtered = owner.get("/contacts?tag=lead").text();
        assertThat(filtered).contains("data-testid=\"save-segment\"").contains("value=\"tag=lead\"");
        Response saved = owner.post("/contacts/segments", Map.of("name", "Leads <new>", "filter", "tag=lead"));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(saved.location()).startsWith("/contacts?segment=");
        String applied = owner.get(saved.location()).text();
        assertThat(applied).contains("The segment \"Leads &lt;new&gt;\" is saved.").contains("Tagged One").doesNotContain("Untagged");
        String segment = saved.location().substring("/contacts?segment=".length());

        Response duplicate = owner.post("/contacts/segments", Map.of("name", "leads <NEW>", "filter", "tag=lead"));
        assertThat(owner.get(duplicate.location()).text()).contains("There already is a segment called");

        owner.post("/contacts/segments/" + segment + "/rename", Map.of("name", "Warm leads"));
        assertThat(owner.get("/contacts").text()).contains("Warm leads").doesNotContain("Leads &lt;new&gt;");
        assertThat(owner.post("/contacts/segments/" + UUID.randomUUID() + "/rename", Map.of("name", "x")).status()).isEqualTo(404);

        Response deleted = owner.post("/contacts/segments/" + segment + "/delete", Map.of());
        assertThat(owner.get(deleted.location()).text()).contains("The segment \"Warm leads\" is deleted.");
        assertThat(owner.get("/contacts?segment=" + segment).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isEqualTo(2);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String href(String page, String testId) {
        Matcher m = Pattern.compile("href=\"([^\"]+)\"[^>]*data-testid=\"" + testId + "\"").matcher(page);
        assertThat(m.find()).as(testId).isTrue();
        return m.group(1).replace("&amp;", "&");
    }
}
