package hexa.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SignedWebhooks;
import hexa.support.WebClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A message written from a click-to-WhatsApp ad shows the ad on its bubble: headline, text, a safe link and the ad id, as text;
 * the side panel shows the contact's source.
 */
class AdReferralBubbleTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    @Test
    void the_ad_a_message_came_from_is_shown_on_its_bubble_as_text_with_a_safe_link() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Bubble Co " + UUID.randomUUID().toString().substring(0, 6));
        SignedWebhooks meta = new SignedWebhooks(jdbc, secrets, shop.number());
        meta.customerSends("919600003001", "Asha", """
                {"from":"919600003001","id":"wamid.bubble.1","timestamp":"1750275992","type":"text","text":{"body":"Hello! Can I get more info on this?"},
                 "referral":{"source_url":"https://fb.me/3cr4Wqqkv","source_id":"120226305854810726","source_type":"ad",
                             "body":"Summer <script>alert(1)</script> succulents","headline":"<img src=x onerror=alert(2)>Chat with us",
                             "media_type":"image","ctwa_clid":"Aff-n8ZT"}}""");
        meta.customerSends("919600003001", "Asha", """
                {"from":"919600003001","id":"wamid.bubble.2","timestamp":"1750275999","type":"text","text":{"body":"And this one?"},
                 "referral":{"source_url":"javascript:alert(3)","source_id":"999","source_type":"post","headline":"A post"}}""");
        UUID conversation = Eventually.present(() -> jdbc.sql("select conversation_id from messages where tenant_id = :t and wamid = 'wamid.bubble.2'")
                .param("t", shop.id()).query(UUID.class).optional(), "the messages stored");

        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        String page = owner.get("/inbox/conversations/" + conversation).text();

        assertThat(page).contains("data-testid=\"ad-referral\"")
                .contains("From an ad: &lt;img src=x onerror=alert(2)&gt;Chat with us")
                .contains("Summer &lt;script&gt;alert(1)&lt;/script&gt; succulents")
                .contains("<a href=\"https://fb.me/3cr4Wqqkv\" target=\"_blank\" rel=\"noopener noreferrer\" data-testid=\"ad-link\">")
                .contains("Ad id 120226305854810726")
                .contains("From a post: A post").contains("Ad id 999")
                .doesNotContain("<img src=x").doesNotContain("<script>alert(1)").doesNotContain("javascript:alert(3)");
        // Beside the thread, the contact's source: the first ad that brought them.
        String side = page.substring(page.indexOf("data-testid=\"side-panel\""));
        assertThat(side.substring(side.indexOf("data-testid=\"contact-source\""))).startsWith("data-testid=\"contact-source\"")
                .contains("From an ad: &lt;img src=x onerror=alert(2)&gt;Chat with us").contains("Ad id 120226305854810726");
    }
}
