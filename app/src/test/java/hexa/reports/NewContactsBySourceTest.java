package hexa.reports;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SignedWebhooks;
import hexa.support.WebClient;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reports page counts new contacts by where they came from: those a click-to-WhatsApp ad brought (by ad), and the
 * others; a contact who existed before tapping an ad was not brought by it.
 */
class NewContactsBySourceTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private Fixtures.TestWorkspace workspace;
    private SignedWebhooks meta;

    @BeforeEach
    void aWorkspaceWithANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Report Co " + UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        meta = new SignedWebhooks(jdbc, secrets, shop.number());
    }

    @Test
    void new_contacts_from_ads_are_counted_by_ad_and_the_rest_apart() {
        long now = clock.instant().getEpochSecond();
        fromAd("919700002001", "wamid.r.1", "150001", "Spring <i>plants</i>", now - 5);
        fromAd("919700002002", "wamid.r.2", "150001", "Spring <i>plants</i>", now - 4);
        fromAd("919700002003", "wamid.r.3", "150002", "Pots", now - 3);
        meta.customerSends("919700002004", "Ravi", """
                {"from":"919700002004","id":"wamid.r.4","timestamp":"%d","type":"text","text":{"body":"Hi"}}""".formatted(now));
        // Added by the team first; tapping an ad minutes later does not make the ad its bringer.
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        assertThat(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Known\",\"phone\":\"+919700002005\"}").status()).isEqualTo(201);
        fromAd("919700002005", "wamid.r.5", "150002", "Pots", now + 600);
        Eventually.until(() -> jdbc.sql("select count(*) from contact_referrals where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single() == 4, "every ad kept");
        Eventually.until(() -> jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single() == 5, "every message stored");

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        Response page = owner.get("/reports");
        assertThat(page.status()).isEqualTo(200);
        String text = page.text();
        assertThat(number(text, "new-contacts")).isEqualTo("5");
        assertThat(number(text, "from-ads")).isEqualTo("3");
        assertThat(number(text, "from-elsewhere")).isEqualTo("2");
        assertThat(number(text, "share-from-ads")).isEqualTo("60 %");
        assertThat(text).contains("Spring &lt;i&gt;plants&lt;/i&gt;").doesNotContain("<i>plants</i>")
                .contains("<a href=\"/contacts?ad=150001\">2</a>").contains("<a href=\"/contacts?ad=150002\">1</a>");
        assertThat(text.indexOf("150001")).as("the ad that brought most comes first").isLessThan(text.indexOf("150002"));

        Fixtures.Person analyst = fixtures.member(workspace, Role.ANALYST);
        WebClient analystBrowser = browser();
        analystBrowser.signIn(analyst.email(), Fixtures.PASSWORD);
        String seenByAnalyst = analystBrowser.get("/reports?days=7").text();
        assertThat(number(seenByAnalyst, "from-ads")).isEqualTo("3");
        assertThat(seenByAnalyst).as("an analyst sees counts, not a way to the people").doesNotContain("/contacts?ad=");

        Response wrong = owner.get("/reports?days=12");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).contains("is not a period of this report");
    }

    @Test
    void a_workspace_without_new_contacts_says_so() {
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(owner.get("/reports?days=7").text()).contains("data-testid=\"no-new-contacts\"").contains("No new contacts in the last 7 days.");
    }

    private void fromAd(String waId, String wamid, String adId, String headline, long timestamp) {
        meta.customerSends(waId, "Asha", """
                {"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"Is this available?"},
                 "referral":{"source_url":"https://fb.me/%s","source_id":"%s","source_type":"ad","headline":"%s","ctwa_clid":"c-%s"}}
                """.formatted(waId, wamid, timestamp, adId, adId, headline, wamid));
    }

    /** The text of the element with this test id. */
    private static String number(String page, String testId) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-testid=\"" + testId + "\">([^<]*)<").matcher(page);
        assertThat(m.find()).as(testId + " on the page").isTrue();
        return m.group(1).strip();
    }
}
