package hexa.whatsapp;

import static hexa.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The API shows what the inbox shows: each kind of customer message, posted signed as Meta posts it, read back through
 * {@code GET /api/v1/messages} with an API token, carries the ad it came from, its order, a Flow's answers, the reply
 * tapped and who reacted to it; and the event other modules hear carries the ad, the Flow's answers and the reply id.
 */
class MessageDetailsApiTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private final HttpClient http = HttpClient.newHttpClient();
    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View connection;
    private String appSecret;
    private ApiClient api;

    @BeforeEach
    void aWorkspaceWithANumberAndAToken() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Details Co " + java.util.UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        connection = shop.number();
        appSecret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", connection.id()).query(String.class).single());
        api = api(fixtures.apiToken(workspace, Role.AGENT));
    }

    @Test
    void a_message_from_a_click_to_whatsapp_ad_shows_the_ad() {
        JsonNode message = received(example("inbound-text-ctwa-referral.json"), "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQ0N0VFMDA2MTQ0RkJFNkNDNAA=");

        JsonNode referral = message.get("referral");
        assertThat(referral.get("sourceType").asString()).isEqualTo("ad");
        assertThat(referral.get("sourceId").asString()).isEqualTo("120226305854810726");
        assertThat(referral.get("sourceUrl").asString()).isEqualTo("https://fb.me/3cr4Wqqkv");
        assertThat(referral.get("headline").asString()).isEqualTo("Chat with us");
        assertThat(referral.get("body").asString()).isEqualTo("Summer Succulents are here!");
        assertThat(referral.get("mediaType").asString()).isEqualTo("image");
        assertThat(referral.get("ctwaClid").asString()).startsWith("Aff-n8ZTODiE79d22");
        assertThat(referral.get("welcomeMessage").asString()).isEqualTo("Hi there! Let us know how we can help!");
        assertThat(message.get("text").asString()).isEqualTo("Hello! Can I get more info on this?");
        assertThat(message.get("order").isNull()).isTrue();

        InboundMessagesReceived.Message heard = heard("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQ0N0VFMDA2MTQ0RkJFNkNDNAA=");
        assertThat(heard.referral().sourceId()).isEqualTo("120226305854810726");
        assertThat(heard.referral().headline()).isEqualTo("Chat with us");
    }

    @Test
    void an_order_shows_every_item_and_the_total() {
        JsonNode order = received(example("inbound-order.json"), "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTEyQjFGNzI1QTQxMjI5QTMyOQA=").get("order");

        assertThat(order.get("catalogId").asString()).isEqualTo("194836987003835");
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("items").get(0).get("productRetailerId").asString()).isEqualTo("di9ozbzfi4");
        assertThat(order.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(order.get("items").get(0).get("itemPrice").decimalValue()).isEqualByComparingTo("30");
        assertThat(order.get("items").get(0).get("currency").asString()).isEqualTo("USD");
        assertThat(order.get("items").get(1).get("productRetailerId").asString()).isEqualTo("nqryix03ez");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("85");
        assertThat(order.get("currency").asString()).isEqualTo("USD");
    }

    @Test
    void an_order_in_two_currencies_has_no_total() {
        String wamid = "wamid.order.two.currencies";
        JsonNode order = received(webhook("16505550002", """
                {"from":"16505550002","id":"%s","timestamp":"1750096325","type":"order","order":{"catalog_id":"1","text":"Both please",
                 "product_items":[{"product_retailer_id":"a","quantity":1,"item_price":10,"currency":"USD"},
                                  {"product_retailer_id":"b","quantity":3,"item_price":2.5,"currency":"EUR"}]}}
                """.formatted(wamid)), wamid).get("order");

        assertThat(order.get("text").asString()).isEqualTo("Both please");
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("items").get(1).get("itemPrice").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(order.get("total").isNull()).isTrue();
        assertThat(order.get("currency").isNull()).isTrue();
    }

    @Test
    void a_flow_reply_shows_its_answers_and_token_and_the_event_carries_them() {
        String wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=";
        JsonNode flow = received(example("inbound-interactive-nfm-reply.json"), wamid).get("flow");

        assertThat(flow.get("name").asString()).isEqualTo("flow");
        assertThat(flow.get("flowToken").asString()).isEqualTo("<FLOW_TOKEN>");
        assertThat(flow.get("answers").get("optional_param1").asString()).isEqualTo("<value1>");
        assertThat(flow.get("answers").get("optional_param2").asString()).isEqualTo("<value2>");
        assertThat(flow.get("answers").has("flow_token")).as("the token is no answer").isFalse();
        assertThat(flow.get("raw").isNull()).isTrue();

        InboundMessagesReceived.Message heard = heard(wamid);
        assertThat(heard.flowAnswers().flowToken()).isEqualTo("<FLOW_TOKEN>");
        assertThat(heard.flowAnswers().answers()).containsExactly(Map.entry("optional_param1", "<value1>"), Map.entry("optional_param2", "<value2>"));
    }

    @Test
    void a_flow_reply_keeps_typed_answers_and_a_response_that_is_no_json_as_it_came() {
        String typed = "wamid.flow.typed";
        String responseJson = "{\\\"flow_token\\\":\\\"signup-7\\\",\\\"name\\\":\\\"Asha\\\",\\\"age\\\":31,\\\"newsletter\\\":true,\\\"topics\\\":[\\\"plants\\\",\\\"pots\\\"]}";
        JsonNode flow = received(webhook("16505550003", """
                {"from":"16505550003","id":"%s","timestamp":"1739321024","type":"interactive",
                 "interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"%s"}}}
                """.formatted(typed, responseJson)), typed).get("flow");
        assertThat(flow.get("flowToken").asString()).isEqualTo("signup-7");
        assertThat(flow.get("answers").get("age").asInt()).isEqualTo(31);
        assertThat(flow.get("answers").get("newsletter").asBoolean()).isTrue();
        assertThat(flow.get("answers").get("topics").get(1).asString()).isEqualTo("pots");
        assertThat(heard(typed).flowAnswers().answers()).containsEntry("age", 31).containsEntry("newsletter", true)
                .containsEntry("topics", List.of("plants", "pots")).containsEntry("name", "Asha");

        String broken = "wamid.flow.broken";
        JsonNode raw = received(webhook("16505550003", """
                {"from":"16505550003","id":"%s","timestamp":"1739321025","type":"interactive",
                 "interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"name=Asha; <b>city</b>"}}}
                """.formatted(broken)), broken).get("flow");
        assertThat(raw.get("raw").asString()).isEqualTo("name=Asha; <b>city</b>");
        assertThat(raw.get("answers")).isEmpty();
        assertThat(raw.get("flowToken").isNull()).isTrue();
    }

    @Test
    void replies_tapped_show_their_ids_and_titles_and_the_event_carries_the_id() {
        String button = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=";
        JsonNode buttonReply = received(example("inbound-interactive-button-reply.json"), button).get("reply");
        assertThat(buttonReply.get("kind").asString()).isEqualTo("button_reply");
        assertThat(buttonReply.get("id").asString()).isEqualTo("cancel-button");
        assertThat(buttonReply.get("title").asString()).isEqualTo("Cancel");
        assertThat(heard(button).replyId()).isEqualTo("cancel-button");

        String row = "wamid.zyzxyz";
        JsonNode listReply = received(example("inbound-interactive-list-reply-with-description.json"), row).get("reply");
        assertThat(listReply.get("kind").asString()).isEqualTo("list_reply");
        assertThat(listReply.get("id").asString()).isEqualTo("callback_data");
        assertThat(listReply.get("title").asString()).isEqualTo("title");
        assertThat(listReply.get("description").asString()).isEqualTo("description");
        assertThat(heard(row).replyId()).isEqualTo("callback_data");
        assertThat(heard(row).reply().kind()).isEqualTo("list_reply");

        String quick = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUU0M0MxQzQzMUJCMTMwNUZFOQA=";
        JsonNode quickReply = received(example("inbound-button-template-quick-reply.json"), quick).get("reply");
        assertThat(quickReply.get("kind").asString()).isEqualTo("button");
        assertThat(quickReply.get("payload").asString()).isEqualTo("Unsubscribe");
        assertThat(quickReply.get("title").asString()).isEqualTo("Unsubscribe");
        assertThat(heard(quick).replyId()).isEqualTo("Unsubscribe");

        JsonNode plain = received(example("inbound-text.json"), firstWamid(example("inbound-text.json")));
        assertThat(plain.get("reply").isNull()).isTrue();
        assertThat(plain.get("flow").isNull()).isTrue();
        assertThat(plain.get("referral").isNull()).isTrue();
        assertThat(plain.get("reactions")).isEmpty();
    }

    @Test
    void reactions_show_who_reacted_how_and_when_and_a_removed_one_is_gone() {
        String target = "wamid.reacted.to";
        JsonNode message = received(webhook("16505550004", """
                {"from":"16505550004","id":"%s","timestamp":"1749419500","type":"text","text":{"body":"Is the blue one in stock?"}}
                """.formatted(target)), target);
        String contactId = message.get("contactId").asString();

        post(webhook("16505550004", """
                {"from":"16505550004","id":"wamid.reaction.1","timestamp":"1749419544","type":"reaction","reaction":{"message_id":"%s","emoji":"👍"}}
                """.formatted(target)));
        Response sent = api.send("POST", "/api/v1/messages", """
                {"contactId":"%s","type":"reaction","reaction":{"message_id":"%s","emoji":"❤️"}}
                """.formatted(contactId, target));
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);

        JsonNode reactions = await(() -> byWamid(target).get("reactions"), r -> r.size() == 2, "both reactions");
        assertThat(reactions.get(0).get("emoji").asString()).isEqualTo("👍");
        assertThat(reactions.get(0).get("by").asString()).isEqualTo("contact");
        assertThat(reactions.get(0).get("contactId").asString()).isEqualTo(contactId);
        assertThat(reactions.get(0).get("at").asString()).isEqualTo("2025-06-08T21:52:24Z");
        assertThat(reactions.get(1).get("emoji").asString()).isEqualTo("❤️");
        assertThat(reactions.get(1).get("by").asString()).as("an integration's token reacted").isEqualTo("api");
        assertThat(reactions.get(1).get("memberId").isNull()).isFalse();

        post(webhook("16505550004", """
                {"from":"16505550004","id":"wamid.reaction.2","timestamp":"1749419600","type":"reaction","reaction":{"message_id":"%s","emoji":""}}
                """.formatted(target)));
        JsonNode after = await(() -> byWamid(target).get("reactions"), r -> r.size() == 1, "the customer's reaction removed");
        assertThat(after.get(0).get("by").asString()).isEqualTo("api");

        // The conversation's messages show the same.
        JsonNode listed = ApiClient.json(api.get("/api/v1/conversations/" + message.get("conversationId").asString() + "/messages")).get("items");
        JsonNode same = null;
        for (JsonNode m : listed) {
            if (target.equals(m.get("whatsappId").asString())) {
                same = m;
            }
        }
        assertThat(same).isNotNull();
        assertThat(same.get("reactions")).hasSize(1);
        assertThat(same.get("reactions").get(0).get("emoji").asString()).isEqualTo("❤️");
    }

    @Test
    void another_workspaces_token_does_not_find_the_message() {
        String wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUQ0N0VFMDA2MTQ0RkJFNkNDNAA=";
        JsonNode message = received(example("inbound-text-ctwa-referral.json"), wamid);
        ApiClient stranger = api(fixtures.apiToken(fixtures.workspace("Elsewhere " + java.util.UUID.randomUUID().toString().substring(0, 6)), Role.ADMIN));

        assertThat(stranger.get("/api/v1/messages/" + message.get("id").asString()).status()).isEqualTo(404);
        assertThat(ApiClient.json(stranger.get("/api/v1/messages?whatsappId=" + URLEncoder.encode(wamid, StandardCharsets.UTF_8))).get("items")).isEmpty();
    }

    // ---- posting as Meta does, reading as an integration does ---------------------------------------------------

    private static String firstWamid(String webhook) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(webhook)
                .path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0).path("id").asString();
    }

    /** Posts the webhook signed, waits for its message, and reads it through the API by its WhatsApp id. */
    private JsonNode received(String webhook, String wamid) {
        assertThat(post(webhook).statusCode()).isEqualTo(200);
        return await(() -> byWamid(wamid), m -> m != null, "the message " + wamid + " through the API");
    }

    private JsonNode byWamid(String wamid) {
        Response response = api.get("/api/v1/messages?whatsappId=" + URLEncoder.encode(wamid, StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode items = ApiClient.json(response).get("items");
        if (items.isEmpty()) {
            return null;
        }
        // Read by id too: both ways answer the same message. A webhook still being applied (a reaction arriving)
        // may change it between the two reads, so a difference is checked against a second listing, read after.
        JsonNode byId = ApiClient.json(api.get("/api/v1/messages/" + items.get(0).get("id").asString()));
        if (!byId.equals(items.get(0))) {
            JsonNode again = ApiClient.json(api.get("/api/v1/messages?whatsappId=" + URLEncoder.encode(wamid, StandardCharsets.UTF_8))).get("items");
            assertThat(byId).as("the message by id and by its WhatsApp id").isEqualTo(again.get(0));
        }
        return byId;
    }

    /** The message as the channel's event told the other modules. */
    private InboundMessagesReceived.Message heard(String wamid) {
        return events.of(workspace.id(), InboundMessagesReceived.class).stream().flatMap(e -> e.messages().stream())
                .filter(m -> wamid.equals(m.wamid())).findFirst().orElseThrow(() -> new AssertionError("no event for " + wamid));
    }

    /** One customer message in a webhook, addressed to our number. */
    private String webhook(String waId, String message) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"Asha"},"wa_id":"%s"}],"messages":[%s]}}]}]}
                """.formatted(connection.phoneNumberId(), waId, message);
    }

    /** Meta's example, addressed to our connected number. */
    private String example(String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("whatsapp/examples/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replaceAll("\"phone_number_id\"\\s*:\\s*\"[^\"]*\"", "\"phone_number_id\": \"" + connection.phoneNumberId() + "\"");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(String webhook) {
        byte[] body = webhook.getBytes(StandardCharsets.UTF_8);
        try {
            return http.send(HttpRequest.newBuilder(URI.create(connection.callbackUrl()))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", WebhookSignature.of(body, appSecret))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
