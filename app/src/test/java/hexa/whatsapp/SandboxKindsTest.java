package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sandbox sends the kinds Meta sends besides plain texts, as a simulated customer and as the WhatsApp Business app on
 * the same number, into the app's normal intake: each is answered 200 (nothing waits in the sandbox for a retry) and
 * kept; those the app understands are stored as what they are.
 */
class SandboxKindsTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private SandboxCustomer customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Kinds Co");
        workspace = withNumber.workspace();
        customer = withNumber.customer();
    }

    @Test
    void an_order_a_flow_answer_a_call_permission_an_ad_message_a_voice_note_a_location_and_a_dated_message_are_stored_as_sent() {
        String waId = "919800090001";
        long yesterday = Instant.now().minusSeconds(86_400).getEpochSecond();
        Map<String, String> sent = new java.util.LinkedHashMap<>();
        sent.put("dated", customer.sendsMessage(waId, "{\"type\":\"text\",\"text\":{\"body\":\"From yesterday\"},\"timestamp\":" + yesterday + "}"));
        sent.put("order", customer.sendsMessage(waId, """
                {"type":"order","order":{"catalog_id":"194836987003835","text":"","product_items":[
                 {"product_retailer_id":"kurta-m","quantity":2,"item_price":799,"currency":"INR"}]}}"""));
        sent.put("flow", customer.sendsMessage(waId, """
                {"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":{"flow_token":"t","rating":"5"}}}}"""));
        sent.put("call", customer.sendsMessage(waId, """
                {"type":"interactive","interactive":{"type":"call_permission_reply","call_permission_reply":{"response":"accept",
                 "is_permanent":false,"expiration_timestamp":"1768550400","response_source":"user_action"}}}"""));
        sent.put("ad", customer.sendsMessage(waId, """
                {"type":"text","text":{"body":"Can I get more info?"},"referral":{"source_url":"https://fb.me/x","source_id":"120226305854810726",
                 "source_type":"ad","headline":"Summer sale","body":"Kurtas from 799","media_type":"image","image_url":"https://example.com/a.jpg",
                 "ctwa_clid":"abc"}}"""));
        sent.put("voice", customer.sendsMessage(waId, "{\"type\":\"audio\",\"audio\":{\"voice\":true}}"));
        sent.put("location", customer.sendsMessage(waId, "{\"type\":\"location\",\"location\":{\"latitude\":18.52,\"longitude\":73.85}}"));

        sent.values().forEach(customer::stored);

        assertThat(typeOf(sent.get("order"))).isEqualTo("order");
        assertThat(typeOf(sent.get("flow"))).isEqualTo("interactive");
        assertThat(typeOf(sent.get("voice"))).isEqualTo("audio");
        assertThat(typeOf(sent.get("location"))).isEqualTo("location");
        assertThat(contentOf(sent.get("flow"))).contains("nfm_reply").contains("rating");
        assertThat(contentOf(sent.get("call"))).contains("call_permission_reply");
        assertThat(contentOf(sent.get("ad"))).contains("Summer sale");
        assertThat(jdbc.sql("select sent_at from messages where tenant_id = :t and wamid = :w").param("t", workspace.id())
                .param("w", sent.get("dated")).query(Instant.class).single().getEpochSecond()).isEqualTo(yesterday);
        assertThat(customer.webhooksWaitingForRetry()).isZero();
    }

    @Test
    void a_marketing_stop_from_whatsapps_settings_opts_the_contact_out() {
        String waId = "919800090002";
        customer.writes(waId, "Hello");

        customer.marketing(waId, "stop");

        Eventually.until(() -> "opted_out".equals(jdbc.sql("select marketing_consent from contacts where tenant_id = :t and wa_id = :w")
                .param("t", workspace.id()).param("w", waId).query(String.class).single()), "the contact opted out");
    }

    @Test
    void edits_deletions_business_app_echoes_and_address_book_syncs_are_answered_200_and_kept() {
        String waId = "919800090003";
        String typo = customer.sendsMessage(waId, "{\"type\":\"text\",\"text\":{\"body\":\"Is it in stokc?\"}}");
        customer.stored(typo);
        String mistake = customer.sendsMessage(waId, "{\"type\":\"text\",\"text\":{\"body\":\"wrong chat, sorry\"}}");
        customer.stored(mistake);

        String edit = customer.sendsMessage(waId, "{\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + typo
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"Is it in stock?\"}}}}");
        String revoke = customer.sendsMessage(waId, "{\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + mistake + "\"}}");
        String echo = customer.businessAppSends(waId, "{\"type\":\"text\",\"text\":{\"body\":\"Yes, two left\"}}");
        String photo = customer.businessAppSends(waId, "{\"type\":\"image\",\"image\":{\"caption\":\"This one\"}}");
        String echoEdit = customer.businessAppSends(waId, "{\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + echo
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"Yes, one left\"}}}}");
        String echoRevoke = customer.businessAppSends(waId, "{\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + photo + "\"}}");
        customer.businessAppSyncsContact("add", "919800090004", "Pablo Morales");

        for (String id : new String[] {edit, revoke, echo, photo, echoEdit, echoRevoke, "919800090004"}) {
            Eventually.until(() -> jdbc.sql("select count(*) from webhook_events where tenant_id = :t and body like :id")
                    .param("t", workspace.id()).param("id", "%" + id + "%").query(Integer.class).single() >= 1, "the webhook carrying " + id + " kept");
        }
        assertThat(customer.webhooksWaitingForRetry()).as("every POST answered 200").isZero();
    }

    private String typeOf(String wamid) {
        return jdbc.sql("select type from messages where tenant_id = :t and wamid = :w").param("t", workspace.id()).param("w", wamid)
                .query(String.class).single();
    }

    private String contentOf(String wamid) {
        return jdbc.sql("select content::text from messages where tenant_id = :t and wamid = :w").param("t", workspace.id()).param("w", wamid)
                .query(String.class).single();
    }
}
