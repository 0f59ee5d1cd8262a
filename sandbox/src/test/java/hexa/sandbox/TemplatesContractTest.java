package hexa.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import hexa.support.Eventually;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Template management and review, and sends checked against approved templates. Review takes 1.5 s here (300 ms in
 * the other classes): long enough that a send right after the create still finds the template pending on a slow machine.
 */
@TestPropertySource(properties = "hexa.sandbox.template-review-delay=1500ms")
class TemplatesContractTest extends SandboxTest {

    private static final String ORDER_UPDATE = "{\"name\":\"order_update\",\"language\":\"en_US\",\"category\":\"UTILITY\","
            + "\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your order {{2}} has shipped.\","
            + "\"example\":{\"body_text\":[[\"Pablo\",\"A-17\"]]}}]}";

    @AfterEach
    void restore() {
        control("PATCH", "/switches", "{\"templateDecision\":\"auto\"}");
    }

    private String templates() {
        return "/" + number.wabaId() + "/message_templates";
    }

    private Reply sendTemplate(String name, String parameters) {
        return send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550004001\",\"type\":\"template\",\"template\":{\"name\":\"" + name
                + "\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":[" + parameters + "]}]}}");
    }

    @Test
    void theListHasMetasShapeAndStartsWithHelloWorld() {
        Reply list = graphGet(templates(), token);

        assertThat(shape(list.json(), "")).containsAll(shape(JSON.readTree(fixture("api/response-templates-list.json")), "").stream()
                .filter(p -> !p.contains("previous_category") && !p.contains("example") && !p.contains("buttons")).toList());
        assertThat(list.json().at("/data/0/name").asString()).isEqualTo("hello_world");
        assertThat(list.json().at("/data/0/status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void aNewTemplateIsPendingThenApprovedAndAnnouncedByWebhook() {
        Reply created = graphPost(templates(), token, ORDER_UPDATE);

        assertThat(shape(created.json(), "")).isEqualTo(shape(JSON.readTree(fixture("api/response-template-create.json")), ""));
        assertThat(created.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(sendTemplate("order_update", "{\"type\":\"text\",\"text\":\"Ana\"},{\"type\":\"text\",\"text\":\"A-17\"}")
                .json().at("/error/code").asInt()).isEqualTo(132001);

        JsonNode update = awaitTemplateEvent("order_update");

        assertThat(update.get("event").asString()).isEqualTo("APPROVED");
        assertThat(update.get("message_template_id").isIntegralNumber()).isTrue();
        assertThat(update.get("message_template_id").asString()).isEqualTo(created.json().get("id").asString());
        assertThat(shape(update, "")).isEqualTo(shape(JSON.readTree(fixture("message-template-status-update-approved.json"))
                .at("/entry/0/changes/0/value"), ""));
        Reply accepted = sendTemplate("order_update", "{\"type\":\"text\",\"text\":\"Ana\"},{\"type\":\"text\",\"text\":\"A-17\"}");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        assertThat(sendTemplate("order_update", "{\"type\":\"text\",\"text\":\"Ana\"}").json().at("/error/code").asInt()).isEqualTo(132000);
    }

    @Test
    void aTemplateWithAdjacentParametersIsRejectedWithTheReason() {
        graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "cart_reminder").replace("{{1}}, your order {{2}}", "{{1}}{{2}}"));

        JsonNode update = awaitTemplateEvent("cart_reminder");

        assertThat(update.get("event").asString()).isEqualTo("REJECTED");
        assertThat(update.get("reason").asString()).isEqualTo("INVALID_FORMAT");
        assertThat(shape(update, "")).isEqualTo(shape(JSON.readTree(fixture("message-template-status-update-rejected.json"))
                .at("/entry/0/changes/0/value"), ""));
        assertThat(sendTemplate("cart_reminder", "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}")
                .json().at("/error/code").asInt()).isEqualTo(132001);
    }

    @Test
    void reviewCanBeSwitchedToRejectEverything() {
        control("PATCH", "/switches", "{\"templateDecision\":\"reject\"}");
        graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "spring_sale"));

        assertThat(awaitTemplateEvent("spring_sale").get("event").asString()).isEqualTo("REJECTED");
    }

    @Test
    void metasExampleRequestsAreAccepted() {
        Reply authentication = graphPost(templates(), token, fixture("api/request-template-create-authentication.json"));
        Reply marketing = graphPost(templates(), token, fixture("api/request-template-create-marketing-mpm.json"));

        assertThat(authentication.json().get("category").asString()).isEqualTo("AUTHENTICATION");
        assertThat(marketing.json().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void aDuplicateOrIncompleteTemplateIsRefusedWith100() {
        graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "twice"));

        Reply duplicate = graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "twice"));
        Reply noCategory = graphPost(templates(), token, "{\"name\":\"x\",\"language\":\"en_US\",\"components\":[{\"type\":\"BODY\",\"text\":\"x\"}]}");
        Reply badCategory = graphPost(templates(), token, ORDER_UPDATE.replace("UTILITY", "GOSSIP").replace("order_update", "gossip"));

        assertThat(duplicate.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(noCategory.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(badCategory.json().at("/error/code").asInt()).isEqualTo(100);
    }

    @Test
    void aTemplateCanBeReadByIdAndDeletedByName() {
        String id = graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "short_lived")).json().get("id").asString();

        assertThat(graphGet("/" + id, token).json().get("name").asString()).isEqualTo("short_lived");
        assertThat(graphDelete(templates() + "?name=short_lived", token).json())
                .isEqualTo(JSON.readTree(fixture("api/response-template-delete.json")));
        assertThat(graphGet(templates() + "?name=short_lived", token).json().get("data")).isEmpty();
    }

    @Test
    void reviewRejectsAVariableAtTheEdgeOrAForbiddenWordAndAnEditGoesBackToReview() {
        String id = graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "edge_case")
                .replace("Hi {{1}}, your order {{2}} has shipped.", "{{1}}, your order has shipped as {{2}}")).json().get("id").asString();
        graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "rude_one").replace("has shipped", "has shipped, forbiddenword"));

        JsonNode edge = awaitTemplateEvent("edge_case");
        assertThat(edge.get("reason").asString()).isEqualTo("INVALID_FORMAT");
        assertThat(edge.at("/rejection_info/reason").asString()).contains("start or the end");
        assertThat(awaitTemplateEvent("rude_one").get("reason").asString()).isEqualTo("ABUSIVE_CONTENT");

        Reply edited = graphPost("/" + id, token, "{\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, order {{2}} has shipped.\","
                + "\"example\":{\"body_text\":[[\"Pablo\",\"A-17\"]]}}]}");
        assertThat(edited.json().get("success").asBoolean()).isTrue();
        assertThat(graphGet("/" + id, token).json().get("status").asString()).isEqualTo("PENDING");
        Eventually.until(() -> receiver.changeValues("message_template_status_update").stream()
                .anyMatch(v -> v.get("message_template_name").asString().equals("edge_case") && v.get("event").asString().equals("APPROVED")),
                "the edited template approved", WAIT);
    }

    @Test
    void pausesQualityAndCategoryComeFromTheControlApi() {
        String id = graphPost(templates(), token, ORDER_UPDATE.replace("order_update", "later_news")).json().get("id").asString();
        assertThat(control("POST", "/templates/" + id + "/review", "{\"decision\":\"approve\"}").json().get("status").asString()).isEqualTo("APPROVED");

        control("POST", "/templates/" + id + "/quality", "{\"score\":\"RED\"}");
        control("POST", "/templates/" + id + "/status", "{\"event\":\"PAUSED\"}");
        control("POST", "/templates/" + id + "/category", "{\"category\":\"MARKETING\"}");

        JsonNode quality = Eventually.present(() -> receiver.changeValues("message_template_quality_update").stream()
                .filter(v -> v.get("message_template_name").asString().equals("later_news")).findFirst(), "a quality update", WAIT);
        assertThat(shape(quality, "")).isEqualTo(shape(JSON.readTree(fixture("message-template-quality-update.json")).at("/entry/0/changes/0/value"), ""));
        assertThat(quality.get("new_quality_score").asString()).isEqualTo("RED");
        Eventually.until(() -> receiver.changeValues("message_template_status_update").stream()
                .anyMatch(v -> v.get("message_template_name").asString().equals("later_news") && v.get("event").asString().equals("PAUSED")),
                "the pause", WAIT);
        JsonNode category = Eventually.present(() -> receiver.changeValues("template_category_update").stream()
                .filter(v -> v.get("message_template_name").asString().equals("later_news")).findFirst(), "a category update", WAIT);
        assertThat(category.get("previous_category").asString()).isEqualTo("UTILITY");
        assertThat(category.get("new_category").asString()).isEqualTo("MARKETING");
    }

    /** A marketing template with everything a phone shows: a photo header, a body with parameters, a footer and three kinds of buttons. */
    static final String SALE_WITH_BUTTONS = "{\"name\":\"sale_with_buttons\",\"language\":\"en_US\",\"category\":\"MARKETING\",\"components\":["
            + "{\"type\":\"HEADER\",\"format\":\"IMAGE\",\"example\":{\"header_handle\":[\"4::aW1hZ2U=\"]}},"
            + "{\"type\":\"BODY\",\"text\":\"Hi {{1}}, {{2}} off everything until Sunday.\",\"example\":{\"body_text\":[[\"Ana\",\"20%\"]]}},"
            + "{\"type\":\"FOOTER\",\"text\":\"Reply STOP to opt out\"},"
            + "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Not interested\"},"
            + "{\"type\":\"URL\",\"text\":\"Shop now\",\"url\":\"https://shop.example/sale/{{1}}\",\"example\":[\"https://shop.example/sale/w24\"]},"
            + "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call us\",\"phone_number\":\"+15550783881\"}]}]}";

    /** The send of {@link #SALE_WITH_BUTTONS} to a customer: the photo, the body's parameters, the quick reply's payload and the URL's suffix. */
    static String saleWithButtonsTo(String to, String name) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"template\",\"template\":{\"name\":\"sale_with_buttons\","
                + "\"language\":{\"code\":\"en_US\"},\"components\":["
                + "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://shop.example/sale.jpg\"}}]},"
                + "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"" + name + "\"},{\"type\":\"text\",\"text\":\"<b>20%</b>\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"0\",\"parameters\":[{\"type\":\"payload\",\"payload\":\"stop-sale\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"1\",\"parameters\":[{\"type\":\"text\",\"text\":\"w24\"}]}]}}";
    }

    @Test
    void aTemplateMessageIsRenderedForThePhoneWithHeaderBodyFooterAndButtons() {
        String id = graphPost(templates(), token, SALE_WITH_BUTTONS).json().get("id").asString();
        assertThat(control("POST", "/templates/" + id + "/review", "{\"decision\":\"approve\"}").status()).isEqualTo(200);

        Reply sent = send(saleWithButtonsTo("15550004101", "Ana"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);

        JsonNode line = control("GET", "/numbers/" + number.phoneNumberId() + "/chats/15550004101", null).json().at("/lines/0");
        JsonNode rendered = line.get("rendered");
        assertThat(rendered.at("/headerMedia/type").asString()).isEqualTo("image");
        assertThat(rendered.at("/headerMedia/media/link").asString()).isEqualTo("https://shop.example/sale.jpg");
        assertThat(rendered.get("body").asString()).isEqualTo("Hi Ana, <b>20%</b> off everything until Sunday.");
        assertThat(rendered.get("footer").asString()).isEqualTo("Reply STOP to opt out");
        assertThat(rendered.at("/buttons/0/type").asString()).isEqualTo("QUICK_REPLY");
        assertThat(rendered.at("/buttons/0/payload").asString()).isEqualTo("stop-sale");
        assertThat(rendered.at("/buttons/1/url").asString()).isEqualTo("https://shop.example/sale/w24");
        assertThat(rendered.at("/buttons/2/phoneNumber").asString()).isEqualTo("+15550783881");
        assertThat(send(saleWithButtonsTo("15550004101", "Ana").replace(",{\"type\":\"text\",\"text\":\"<b>20%</b>\"}", ""))
                .json().at("/error/code").asInt()).as("a body parameter missing").isEqualTo(132000);
    }

    @Test
    void anotherWabasTokenCannotSeeTheTemplates() {
        var other = numbers.register(null, null, null, null, "s", "", "v");

        assertThat(graphGet(templates(), other.accessToken()).json().at("/error/code").asInt()).isEqualTo(100);
    }

    private JsonNode awaitTemplateEvent(String name) {
        return Eventually.present(() -> receiver.changeValues("message_template_status_update").stream()
                .filter(value -> value.get("message_template_name").asString().equals(name)).findFirst(), "a template status update for " + name, WAIT);
    }
}
