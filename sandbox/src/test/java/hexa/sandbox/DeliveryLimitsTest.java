package hexa.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import hexa.sandbox.numbers.BusinessNumber;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who receives what, as Meta decides it after accepting a message: the per-user marketing limit (131049), the marketing
 * experiment (130472), the messaging limit, and the {@code pricing} each status carries (CONTRACT.md §4.3, §6, §10).
 */
class DeliveryLimitsTest extends SandboxTest {

    private static final String SALE = "{\"name\":\"winter_sale\",\"language\":\"en_US\",\"category\":\"MARKETING\",\"components\":["
            + "{\"type\":\"BODY\",\"text\":\"Hi {{1}}, the winter sale starts today.\",\"example\":{\"body_text\":[[\"Ana\"]]}}]}";
    private static final String SHIPPED = "{\"name\":\"order_shipped\",\"language\":\"en_US\",\"category\":\"UTILITY\",\"components\":["
            + "{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your order has shipped.\",\"example\":{\"body_text\":[[\"Ana\"]]}}]}";

    @Override
    protected int numberMessagesPerSecond() {
        return 1000;
    }

    @org.springframework.beans.factory.annotation.Autowired
    private SandboxClock clock;
    private java.time.Duration clockAtStart;

    /** Each test has a WABA of its own (its own messaging limit count) with the two templates approved. */
    @BeforeEach
    void aNewWabaWithTemplates() {
        clockAtStart = clock.offset();
        useNewNumber();
        approve(SALE);
        approve(SHIPPED);
        approve(fixture("api/request-template-create-authentication.json"));
    }

    @AfterEach
    void restore() {
        // The days these tests let pass are taken back: other classes compare the sandbox's clock with the real one.
        clock.advance(clockAtStart.minus(clock.offset()));
        control("PATCH", "/switches", "{\"marketingLimitPerUser\":0,\"marketingExperimentRate\":0.0,\"messagingLimitFailureCode\":131048}");
    }

    @Test
    void aPersonGetsAtMostNMarketingTemplatesADayFromAllBusinessesThenTheyFailWith131049() {
        control("PATCH", "/switches", "{\"marketingLimitPerUser\": 2}");
        String person = "15550007001";

        String first = sendTemplate(person, "winter_sale", "Ana");
        String second = sendTemplate(person, "hello_world", null);
        String third = sendTemplate(person, "winter_sale", "Ana");
        String utility = sendTemplate(person, "order_shipped", "Ana");

        assertThat(finalStatus(first)).isEqualTo("read");
        assertThat(finalStatus(second)).isEqualTo("read");
        JsonNode failed = receiver.await("statuses", s -> s.get("id").asString().equals(third), WAIT);
        JsonNode example = JSON.readTree(fixture("status-failed-131049.json")).at("/entry/0/changes/0/value/statuses/0");
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("errors")).as("Meta's example, word for word").isEqualTo(example.get("errors"));
        assertThat(shape(failed, "")).isEqualTo(shape(example, ""));
        assertThat(finalStatus(utility)).as("utility templates are not limited").isEqualTo("read");

        // Another business (another WABA) meets the same limit: it is the person's, not ours.
        BusinessNumber ours = number;
        String ourToken = token;
        useNewNumber();
        approve(SALE);
        String elsewhere = sendTemplate(person, "winter_sale", "Ana");
        assertThat(receiver.await("statuses", s -> s.get("id").asString().equals(elsewhere), WAIT).at("/errors/0/code").asInt()).isEqualTo(131049);

        // While the person's service window with a number is open, marketing from it goes through and is not counted.
        customerSends(person, "{\"type\":\"text\",\"text\":{\"body\":\"Tell me about the sale\"}}");
        String inWindow = sendTemplate(person, "winter_sale", "Ana");
        assertThat(finalStatus(inWindow)).isEqualTo("read");

        // A day later the limit has rolled on.
        number = ours;
        token = ourToken;
        control("POST", "/clock", "{\"advanceSeconds\": 86401}");
        String nextDay = sendTemplate(person, "winter_sale", "Ana");
        assertThat(finalStatus(nextDay)).isEqualTo("read");
        assertThat(control("GET", "/stats", null).json().at("/failedStatuses/131049").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPersonInMetasMarketingExperimentGetsNoMarketingTemplates_130472() {
        control("POST", "/customers", "{\"waId\":\"15550007101\",\"marketingExperiment\":true}");

        String marketing = sendTemplate("15550007101", "winter_sale", "Ana");
        String utility = sendTemplate("15550007101", "order_shipped", "Ana");

        JsonNode failed = receiver.await("statuses", s -> s.get("id").asString().equals(marketing), WAIT);
        JsonNode example = JSON.readTree(fixture("status-failed-130472.json")).at("/entry/0/changes/0/value/statuses/0");
        assertThat(failed.get("errors")).isEqualTo(example.get("errors"));
        assertThat(finalStatus(utility)).isEqualTo("read");
        assertThat(control("GET", "/customers", null).text()).contains("\"marketingExperiment\":true");

        // As a share of people: everyone at 1.0, the same people every time.
        control("PATCH", "/switches", "{\"marketingExperimentRate\": 1.0}");
        String anyone = sendTemplate("15550007102", "hello_world", null);
        assertThat(receiver.await("statuses", s -> s.get("id").asString().equals(anyone), WAIT).at("/errors/0/code").asInt()).isEqualTo(130472);
    }

    @Test
    void theMessagingLimitCountsUniquePeopleReachedOutsideAWindowAcrossTheWabasNumbers() {
        assertThat(control("PATCH", "/numbers/" + number.phoneNumberId(), "{\"messagingLimit\": 250}").status()).isEqualTo(200);
        assertThat(graphGet("/" + number.phoneNumberId() + "?fields=whatsapp_business_manager_messaging_limit", token).json()
                .get("whatsapp_business_manager_messaging_limit").asString()).isEqualTo("TIER_250");
        String last = null;
        for (int i = 0; i < 250; i++) {
            last = sendTemplate("1555001" + String.format("%04d", i), "order_shipped", "Ana");
        }
        String lastWithin = last;
        assertThat(finalStatus(lastWithin)).isEqualTo("read");

        String oneMore = sendTemplate("15550019999", "order_shipped", "Ana");
        String someoneAlreadyReached = sendTemplate("15550010000", "winter_sale", "Ana");
        customerSends("15550018888", "{\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");
        String inTheirWindow = sendTemplate("15550018888", "order_shipped", "Ana");

        JsonNode failed = receiver.await("statuses", s -> s.get("id").asString().equals(oneMore), WAIT);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.at("/errors/0/code").asInt()).isEqualTo(131048);
        assertThat(failed.at("/errors/0/title").asString()).isNotBlank();
        assertThat(finalStatus(someoneAlreadyReached)).isEqualTo("read");
        assertThat(finalStatus(inTheirWindow)).as("a reply in the service window is not limited").isEqualTo("read");

        // Another number of the same WABA shares the count.
        String secondToken = "EAAsecond" + System.nanoTime();
        BusinessNumber second = numbers.register(Long.toString(Long.parseLong(number.phoneNumberId()) + 500_000), number.wabaId(),
                "15550783882", secondToken, appSecret, receiver.url(), "verify-me", 1000);
        control("PATCH", "/numbers/" + second.phoneNumberId(), "{\"messagingLimit\": 250}");
        BusinessNumber first = number;
        number = second;
        token = secondToken;
        String fromTheOther = sendTemplate("15550017777", "order_shipped", "Ana");
        assertThat(receiver.await("statuses", s -> s.get("id").asString().equals(fromTheOther), WAIT).at("/errors/0/code").asInt()).isEqualTo(131048);

        // The moving 24 hours pass: new people can be reached again.
        control("POST", "/clock", "{\"advanceSeconds\": 86401}");
        String nextDay = sendTemplate("15550016666", "order_shipped", "Ana");
        assertThat(finalStatus(nextDay)).isEqualTo("read");
        number = first;
    }

    @Test
    void pricingFollowsTheCategoryAndTheServiceWindowAndRidesOnSentAndDeliveredOnly() {
        customerSends("15550007201", "{\"type\":\"text\",\"text\":{\"body\":\"Where is my order?\"}}");
        String utilityInWindow = sendTemplate("15550007201", "order_shipped", "Ana");
        String marketingInWindow = sendTemplate("15550007201", "winter_sale", "Ana");
        String service = send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550007201\",\"type\":\"text\",\"text\":{\"body\":\"Today\"}}")
                .json().at("/messages/0/id").asString();
        String utilityOutside = sendTemplate("15550007202", "order_shipped", "Ana");
        String authentication = sendTemplate("15550007202", "authentication_code_copy_code_button", null);

        assertThat(pricingOf(utilityInWindow)).isEqualTo("false free_customer_service utility");
        assertThat(pricingOf(marketingInWindow)).isEqualTo("true regular marketing");
        assertThat(pricingOf(service)).isEqualTo("false free_customer_service service");
        assertThat(pricingOf(utilityOutside)).isEqualTo("true regular utility");
        assertThat(pricingOf(authentication)).isEqualTo("true regular authentication");

        JsonNode delivered = receiver.await("statuses", s -> s.get("id").asString().equals(utilityOutside) && s.get("status").asString().equals("delivered"), WAIT);
        JsonNode read = receiver.await("statuses", s -> s.get("id").asString().equals(utilityOutside) && s.get("status").asString().equals("read"), WAIT);
        assertThat(shape(delivered, "")).isEqualTo(shape(JSON.readTree(fixture("status-delivered-pmp.json")).at("/entry/0/changes/0/value/statuses/0"), ""));
        assertThat(delivered.get("pricing")).isEqualTo(receiver.await("statuses", s -> s.get("id").asString().equals(utilityOutside)
                && s.get("status").asString().equals("sent"), WAIT).get("pricing"));
        assertThat(read.has("pricing")).as("Meta's pricing is on one of delivered/read, not both").isFalse();
        assertThat(shape(read, "")).isEqualTo(shape(JSON.readTree(fixture("status-read-pmp.json")).at("/entry/0/changes/0/value/statuses/0"), ""));
    }

    @Test
    void templateSendsAreCountedPerTemplateAndRecipientAcrossNumbers() {
        control("DELETE", "/stats", null);
        sendTemplate("15550007301", "winter_sale", "Ana");
        sendTemplate("15550007302", "winter_sale", "Ben");
        BusinessNumber first = number;
        String firstToken = token;
        token = "EAAthird" + System.nanoTime();
        number = numbers.register(Long.toString(Long.parseLong(first.phoneNumberId()) + 700_000), first.wabaId(), "15550783883", token,
                appSecret, receiver.url(), "verify-me", 1000);
        sendTemplate("15550007301", "winter_sale", "Ana");

        JsonNode counted = control("GET", "/stats", null).json().at("/templates/winter_sale");
        assertThat(counted.get("accepted").asInt()).isEqualTo(3);
        assertThat(counted.get("recipients").asInt()).isEqualTo(2);
        assertThat(counted.get("repeated").asInt()).isEqualTo(1);
        assertThat(counted.get("repeatedSample").get(0).asString()).isEqualTo("15550007301");
        number = first;
        token = firstToken;
    }

    private String pricingOf(String wamid) {
        JsonNode sent = receiver.await("statuses", s -> s.get("id").asString().equals(wamid) && s.get("status").asString().equals("sent"), WAIT);
        JsonNode pricing = sent.get("pricing");
        assertThat(pricing.get("pricing_model").asString()).isEqualTo("PMP");
        return pricing.get("billable").asBoolean() + " " + pricing.get("type").asString() + " " + pricing.get("category").asString();
    }

    private void approve(String template) {
        Reply created = graphPost("/" + number.wabaId() + "/message_templates", token, template);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        Reply approved = control("POST", "/templates/" + created.json().get("id").asString() + "/review", "{\"decision\":\"approve\"}");
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    }

    /** Sends a template with one body parameter (or none) and returns its WhatsApp id. */
    private String sendTemplate(String to, String name, String bodyParameter) {
        String components = bodyParameter == null ? "" : ",\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\""
                + bodyParameter + "\"}]}]";
        Reply reply = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"template\",\"template\":{\"name\":\"" + name
                + "\",\"language\":{\"code\":\"en_US\"}" + components + "}}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().at("/messages/0/id").asString();
    }

    /** Waits until the message is read or failed, and says which. */
    private String finalStatus(String wamid) {
        return receiver.await("statuses", s -> s.get("id").asString().equals(wamid)
                && (s.get("status").asString().equals("read") || s.get("status").asString().equals("failed")), WAIT).get("status").asString();
    }
}
