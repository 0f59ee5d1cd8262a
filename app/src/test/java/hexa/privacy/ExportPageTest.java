package hexa.privacy;

import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page {@code /contacts/{id}/export} over HTTP: who may use it, its empty state, the progress list, the requester's download. */
class ExportPageTest extends HexaIntegrationTest {

    private static final Pattern DOWNLOAD = Pattern.compile("href=\"(/contacts/[^\"]+/export/[^\"]+/download)\"");

    @Test
    void an_admin_starts_an_export_and_only_they_download_it() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Export Page " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient token = api(fixtures.apiToken(workspace, Role.ADMIN));
        String id = ApiClient.json(token.send("POST", "/api/v1/contacts", "{\"name\":\"<script>alert('x')</script>\",\"phone\":\"+919811188001\"}"))
                .get("id").asString();
        Fixtures.Person admin = fixtures.member(workspace, Role.ADMIN);
        Fixtures.Person otherAdmin = fixtures.member(workspace, Role.ADMIN);
        Fixtures.Person agent = fixtures.member(workspace, Role.AGENT);

        WebClient browser = browser();
        browser.signIn(admin.email(), Fixtures.PASSWORD);
        Response empty = browser.get("/contacts/" + id + "/export");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.text()).contains("data-testid=\"no-exports\"").contains("&lt;script&gt;alert(").doesNotContain("<script>alert('x')");
        assertThat(browser.get("/contacts/" + id).text()).as("the contact page links to it").contains("/contacts/" + id + "/export");

        Response started = browser.post("/contacts/" + id + "/export", Map.of());
        assertThat(started.status()).isEqualTo(302);
        assertThat(started.location()).endsWith("/contacts/" + id + "/export");
        until(() -> browser.get("/contacts/" + id + "/export/list").text().contains("data-testid=\"export-download\""), "the export to be ready");
        String list = browser.get("/contacts/" + id + "/export/list").text();
        assertThat(list).contains("data-status=\"done\"").doesNotContain("hx-trigger=\"every 1s\"");
        Matcher link = DOWNLOAD.matcher(list);
        assertThat(link.find()).isTrue();
        Response zip = browser.get(link.group(1));
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.header("Content-Type")).startsWith("application/zip");
        assertThat(zip.header("Content-Disposition")).startsWith("attachment; filename=\"personal-data-");

        WebClient colleague = browser();
        colleague.signIn(otherAdmin.email(), Fixtures.PASSWORD);
        String theirs = colleague.get("/contacts/" + id + "/export").text();
        assertThat(theirs).as("another admin sees the export but no download").contains("data-status=\"done\"").doesNotContain("export-download");
        assertThat(colleague.get(link.group(1)).status()).isEqualTo(404);

        WebClient agentBrowser = browser();
        agentBrowser.signIn(agent.email(), Fixtures.PASSWORD);
        assertThat(agentBrowser.get("/contacts/" + id + "/export").status()).isEqualTo(403);
        assertThat(agentBrowser.post("/contacts/" + id + "/export", Map.of()).status()).isEqualTo(403);

        Fixtures.TestWorkspace elsewhere = fixtures.workspace("Export Elsewhere " + UUID.randomUUID().toString().substring(0, 6));
        WebClient stranger = browser();
        stranger.signIn(elsewhere.owner().email(), Fixtures.PASSWORD);
        assertThat(stranger.get("/contacts/" + id + "/export").status()).isEqualTo(404);
        assertThat(stranger.post("/contacts/" + id + "/export", Map.of()).status()).isEqualTo(404);
        assertThat(stranger.get(link.group(1)).status()).isEqualTo(404);
    }
}
