package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SignedWebhooks;
import hexa.support.WebClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A contact's source: the click-to-WhatsApp ad that first brought them to a chat is kept on the contact (later ads
 * too), shown on the contact page as text, given by the API, and the contacts list and segments filter by it.
 */
class ContactSourceTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private Fixtures.TestWorkspace workspace;
    private SignedWebhooks meta;
    private ApiClient admin;

    @BeforeEach
    void aWorkspaceWithANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Ads Co " + UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        meta = new SignedWebhooks(jdbc, secrets, shop.number());
        admin = api(fixtures.apiToken(workspace, Role.ADMIN));
    }

    @Test
    void the_first_ad_is_the_contacts_source_and_later_ads_are_kept_beside_it() {
        fromAd("919800001001", "wamid.ad.first", "120001", "<b>Summer</b> succulents", "https://fb.me/summer", 1_750_000_000L);
        UUID contact = contactOf("919800001001");

        JsonNode source = contactJson(contact).get("source");
        assertThat(source.get("sourceId").asString()).isEqualTo("120001");
        assertThat(source.get("headline").asString()).isEqualTo("<b>Summer</b> succulents");
        assertThat(source.get("sourceUrl").asString()).isEqualTo("https://fb.me/summer");
        assertThat(source.get("sourceType").asString()).isEqualTo("ad");
        assertThat(source.get("ctwaClid").asString()).isEqualTo("clid-wamid.ad.first");
        assertThat(source.get("at").asString()).isEqualTo("2025-06-15T15:06:40Z");

        fromAd("919800001001", "wamid.ad.second", "120002", "Autumn pots", "javascript:alert(1)", 1_760_000_000L);
        // Meta posting the first again changes nothing.
        fromAd("919800001001", "wamid.ad.first", "120001", "<b>Summer</b> succulents", "https://fb.me/summer", 1_750_000_000L);
        Eventually.until(() -> referrals(contact) == 2, "both ads kept");

        assertThat(contactJson(contact).get("source").get("sourceId").asString()).as("the first ad stays the source").isEqualTo("120001");
        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String page = browser.get("/contacts/" + contact).text();
        assertThat(page).contains("data-testid=\"source\"").contains("&lt;b&gt;Summer&lt;/b&gt; succulents").doesNotContain("<b>Summer</b>")
                .contains("120001").contains("href=\"https://fb.me/summer\" target=\"_blank\" rel=\"noopener noreferrer\"")
                .contains("Autumn pots").contains("120002").contains("Came through ads 2 times")
                .contains("href=\"/contacts?ad=120001\"")
                .doesNotContain("javascript:alert(1)");
    }

    @Test
    void a_contact_no_ad_brought_says_so() {
        plain("919800001002", "wamid.plain.1");
        UUID contact = contactOf("919800001002");

        assertThat(contactJson(contact).get("source").isNull()).isTrue();
        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(browser.get("/contacts/" + contact).text()).contains("data-testid=\"no-source\"");
    }

    @Test
    void the_contacts_list_and_segments_filter_by_source_and_by_ad() {
        fromAd("919800001003", "wamid.ad.a", "130001", "Monsoon sale", "https://fb.me/monsoon", 1_750_000_000L);
        fromAd("919800001004", "wamid.ad.b", "130002", "Diwali lights", "https://fb.me/diwali", 1_750_000_100L);
        plain("919800001005", "wamid.plain.2");
        // Wrote first on their own, came through the Diwali ad later: they came from an ad too.
        plain("919800001006", "wamid.plain.3");
        fromAd("919800001006", "wamid.ad.c", "130002", "Diwali lights", "https://fb.me/diwali", 1_760_000_000L);
        Eventually.until(() -> phones("").size() == 4, "four contacts");
        Eventually.until(() -> phones("source=ad").size() == 3, "three came from ads");

        assertThat(phones("source=ad")).containsExactlyInAnyOrder("+919800001003", "+919800001004", "+919800001006");
        assertThat(phones("source=none")).containsExactly("+919800001005");
        assertThat(phones("ad=130002")).containsExactlyInAnyOrder("+919800001004", "+919800001006");
        assertThat(phones("ad=monsoon")).containsExactly("+919800001003");
        assertThat(phones("ad=130002&source=ad&query=001004")).containsExactly("+919800001004");
        assertThat(phones("ad=nothing-like-it")).isEmpty();

        Response wrong = admin.get("/api/v1/contacts?source=billboard");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(ApiClient.json(wrong).get("message").asString()).startsWith("\"billboard\" is not a source");

        Response tooLong = admin.get("/api/v1/contacts?ad=" + "x".repeat(201));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(ApiClient.json(tooLong).get("message").asString()).contains("at most 200 characters");
        Response badSegment = admin.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Billboards\",\"filter\":\"source=billboard\"}");
        assertThat(badSegment.status()).as("a segment with a source that is none is refused").isEqualTo(400);
        assertThat(ApiClient.json(admin.get("/api/v1/contacts/segments")).get("items")).as("and nothing is saved").isEmpty();

        Response segment = admin.send("POST", "/api/v1/contacts/segments", "{\"name\":\"Diwali leads\",\"filter\":\"source=ad&ad=Diwali\"}");
        assertThat(segment.status()).as(segment.text()).isEqualTo(201);
        JsonNode saved = ApiClient.json(segment);
        assertThat(saved.get("filter").get("ad").asString()).isEqualTo("Diwali");
        assertThat(phones("segment=" + saved.get("id").asString())).containsExactlyInAnyOrder("+919800001004", "+919800001006");

        WebClient browser = browser();
        browser.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        String list = browser.get("/contacts?source=ad&ad=130002").text();
        assertThat(list).contains("+919800001004").contains("+919800001006").doesNotContain("+919800001003").doesNotContain("+919800001005")
                .contains("<option value=\"ad\" selected>");
    }

    @Test
    void a_merged_contact_brings_its_ads() {
        fromAd("919800001007", "wamid.ad.m", "140001", "Merge me", "https://fb.me/merge", 1_750_000_000L);
        UUID fromAd = contactOf("919800001007");
        String kept = ApiClient.json(admin.send("POST", "/api/v1/contacts", "{\"name\":\"Kept\",\"phone\":\"+919800001099\"}")).get("id").asString();

        Response merged = admin.send("POST", "/api/v1/contacts/" + kept + "/merge", "{\"otherContactId\":\"" + fromAd + "\"}");
        assertThat(merged.status()).as(merged.text()).isEqualTo(200);

        assertThat(contactJson(UUID.fromString(kept)).get("source").get("sourceId").asString()).isEqualTo("140001");
    }

    // ---------------------------------------------------------------------------------------------

    private void fromAd(String waId, String wamid, String adId, String headline, String url, long timestamp) {
        meta.customerSends(waId, "Asha", """
                {"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"Hello! Can I get more info on this?"},
                 "referral":{"source_url":"%s","source_id":"%s","source_type":"ad","body":"Fresh this week","headline":"%s",
                             "media_type":"image","image_url":"https://scontent.xx.fbcdn.net/v/1","ctwa_clid":"clid-%s"}}
                """.formatted(waId, wamid, timestamp, url, adId, headline.replace("\"", "\\\""), wamid));
    }

    private void plain(String waId, String wamid) {
        meta.customerSends(waId, "Ravi", """
                {"from":"%s","id":"%s","timestamp":"1750000000","type":"text","text":{"body":"Hi"}}
                """.formatted(waId, wamid));
    }

    private UUID contactOf(String waId) {
        return Eventually.present(() -> jdbc.sql("select contact_id from messages m join contacts c on c.id = m.contact_id"
                        + " where m.tenant_id = :t and c.wa_id = :w limit 1")
                .param("t", workspace.id()).param("w", waId).query(UUID.class).optional(), "the contact of " + waId);
    }

    private int referrals(UUID contact) {
        return jdbc.sql("select count(*) from contact_referrals where tenant_id = :t and contact_id = :c")
                .param("t", workspace.id()).param("c", contact).query(Integer.class).single();
    }

    private JsonNode contactJson(UUID contact) {
        Response response = admin.get("/api/v1/contacts/" + contact);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private List<String> phones(String query) {
        Response response = admin.get("/api/v1/contacts?" + query);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> phones = new java.util.ArrayList<>();
        ApiClient.json(response).get("items").forEach(c -> phones.add(c.get("phone").asString()));
        return phones;
    }
}
