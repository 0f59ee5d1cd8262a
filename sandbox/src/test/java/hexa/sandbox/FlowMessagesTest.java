package hexa.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * WhatsApp Flows: the WABA's Flows ({@code /{waba-id}/flows}, two of the sandbox's own to start with), a flow message
 * checked as Meta checks it, the form the phone shows for it, and the customer's answer as Meta's {@code nfm_reply}.
 */
class FlowMessagesTest extends SandboxTest {

    private static final String CUSTOMER = "16505559876";

    private static final String SIGN_UP_FLOW = """
            {"version": "7.1", "screens": [{"id": "JOIN", "title": "Join the club", "terminal": true,
              "layout": {"type": "SingleColumnLayout", "children": [{"type": "Form", "name": "form", "children": [
                {"type": "TextInput", "name": "email", "label": "Email", "input-type": "email", "required": true},
                {"type": "OptIn", "name": "news", "label": "Send me offers"},
                {"type": "Footer", "label": "Join", "on-click-action": {"name": "complete",
                  "payload": {"email": "${form.email}", "news": "${form.news}", "source": "${data.source}"}}}]}]}}]}
            """;

    @BeforeAll
    void openTheWindow() {
        customerSends(CUSTOMER, "{\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");
    }

    @Test
    void aWabaListsItsFlowsAndCreatesOnesWithFlowJson() {
        Reply created = graphPost("/" + number.wabaId() + "/flows", token, "{\"name\":\"sign_up\",\"categories\":[\"SIGN_UP\"],"
                + "\"flow_json\":" + JSON.valueToTree(SIGN_UP_FLOW) + ",\"publish\":true}");
        Reply noCategories = graphPost("/" + number.wabaId() + "/flows", token, "{\"name\":\"other\"}");
        Reply badJson = graphPost("/" + number.wabaId() + "/flows", token,
                "{\"name\":\"broken\",\"categories\":[\"OTHER\"],\"flow_json\":\"{\\\"version\\\":\\\"7.1\\\",\\\"screens\\\":[]}\"}");
        Reply sameName = graphPost("/" + number.wabaId() + "/flows", token, "{\"name\":\"sign_up\",\"categories\":[\"SIGN_UP\"]}");
        Reply list = graphGet("/" + number.wabaId() + "/flows", token);

        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().get("id").asString()).matches("[0-9]+");
        assertThat(created.json().get("success").asBoolean()).isTrue();
        assertThat(created.json().get("validation_errors")).isEmpty();
        for (Reply refused : List.of(noCategories, badJson, sameName)) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().at("/error/code").asInt()).isEqualTo(100);
        }
        List<String> listed = new ArrayList<>();
        list.json().get("data").forEach(f -> listed.add(f.get("name").asString() + ":" + f.get("status").asString()));
        assertThat(listed).startsWith("order_status:PUBLISHED", "feedback:PUBLISHED").contains("sign_up:PUBLISHED");
        assertThat(graphGet("/" + number.wabaId() + "/flows", "EAAnot-a-token").status()).isEqualTo(401);
    }

    @Test
    void aFlowMessageIsCheckedAsMetaChecksIt() {
        graphPost("/" + number.wabaId() + "/flows", token, "{\"name\":\"draft_survey\",\"categories\":[\"SURVEY\"],\"flow_json\":"
                + JSON.valueToTree(SIGN_UP_FLOW) + "}");

        assertThat(send(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Check my order\"")).status())
                .isEqualTo(200);
        assertThat(send(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"draft_survey\",\"flow_cta\":\"Try\",\"mode\":\"draft\"")).status())
                .isEqualTo(200);
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\""), 131008, "flow_cta");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_cta\":\"Open\""), 131008, "flow_id");
        assertRefused(flowMessage("\"flow_message_version\":\"2\",\"flow_name\":\"order_status\",\"flow_cta\":\"Open\""), 131009,
                "flow_message_version");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_id\":\"1\",\"flow_name\":\"order_status\",\"flow_cta\":\"Open\""),
                131009, "flow_name");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"" + "x".repeat(31) + "\""),
                131009, "flow_cta");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_id\":\"123456\",\"flow_cta\":\"Open\""), 131009, "flow_id");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"draft_survey\",\"flow_cta\":\"Open\""), 131009, "mode");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Open\","
                + "\"flow_action\":\"data_exchange\",\"flow_action_payload\":{\"screen\":\"ORDER\"}"), 131009, "flow_action_payload");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Open\","
                + "\"flow_action_payload\":{\"screen\":\"NOWHERE\"}"), 131009, "screen");
        assertRefused(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Open\","
                + "\"flow_action_payload\":{\"screen\":\"ORDER\",\"data\":{}}"), 131009, "data");
        assertRefused("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"interactive\",\"interactive\":{"
                + "\"type\":\"flow\",\"action\":{\"name\":\"flow\",\"parameters\":{\"flow_message_version\":\"3\",\"flow_name\":\"order_status\","
                + "\"flow_cta\":\"Open\"}}}}", 131008, "body");
    }

    @Test
    void thePhoneShowsTheFlowsFormAndTheAnswerComesBackAsMetasNfmReply() {
        Reply sent = send(flowMessage("\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Check my order\","
                + "\"flow_token\":\"run-7\",\"flow_action\":\"navigate\",\"flow_action_payload\":{\"screen\":\"ORDER\"}"));
        String wamid = sent.json().at("/messages/0/id").asString();

        JsonNode line = null;
        for (JsonNode l : control("GET", "/numbers/" + number.phoneNumberId() + "/chats/" + CUSTOMER, null).json().get("lines")) {
            if (l.get("id").asString().equals(wamid)) {
                line = l;
            }
        }
        assertThat(line).isNotNull();
        JsonNode form = line.get("rendered");
        assertThat(form.get("flowToken").asString()).isEqualTo("run-7");
        assertThat(form.get("title").asString()).isEqualTo("Order status");
        assertThat(form.get("submit").asString()).isEqualTo("Send");
        assertThat(form.at("/fields/0/name").asString()).isEqualTo("order_number");
        assertThat(form.at("/fields/0/kind").asString()).isEqualTo("TextInput");
        assertThat(form.at("/fields/0/required").asBoolean()).isTrue();
        assertThat(form.at("/fields/1/kind").asString()).isEqualTo("Dropdown");
        assertThat(form.at("/fields/1/options/0/id").asString()).isEqualTo("where");
        assertThat(form.at("/response/topic").asString()).isEqualTo("${form.topic}");

        // What the simulator sends once the customer filled the form in and tapped Send.
        JsonNode answered = customerSends(CUSTOMER, "{\"type\":\"interactive\",\"context\":{\"id\":\"" + wamid + "\"},\"interactive\":{"
                + "\"type\":\"nfm_reply\",\"nfm_reply\":{\"name\":\"flow\",\"body\":\"Sent\",\"response_json\":"
                + "{\"flow_token\":\"run-7\",\"order_number\":\"A-1001\",\"topic\":\"where\"}}}}");

        JsonNode message = receiver.await("messages", m -> m.get("id").asString().equals(answered.get("id").asString()), WAIT);
        JsonNode example = JSON.readTree(fixture("inbound-interactive-nfm-reply.json")).at("/entry/0/changes/0/value/messages/0");
        assertThat(shape(message, "")).containsAll(shape(example, ""));
        assertThat(message.at("/context/id").asString()).isEqualTo(wamid);
        assertThat(message.at("/interactive/type").asString()).isEqualTo("nfm_reply");
        assertThat(message.at("/interactive/nfm_reply/name").asString()).isEqualTo("flow");
        assertThat(message.at("/interactive/nfm_reply/body").asString()).isEqualTo("Sent");
        JsonNode responseJson = message.at("/interactive/nfm_reply/response_json");
        assertThat(responseJson.isString()).isTrue();
        assertThat(JSON.readTree(responseJson.asString())).isEqualTo(JSON.readTree("{\"flow_token\":\"run-7\",\"order_number\":\"A-1001\",\"topic\":\"where\"}"));
    }

    private String flowMessage(String parameters) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"interactive\",\"interactive\":{\"type\":\"flow\","
                + "\"header\":{\"type\":\"text\",\"text\":\"Your order\"},\"body\":{\"text\":\"Tell us which order it is about.\"},"
                + "\"action\":{\"name\":\"flow\",\"parameters\":{" + parameters + "}}}}";
    }

    private void assertRefused(String request, int code, String field) {
        Reply reply = send(request);
        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.json().at("/error/code").asInt()).as(reply.text()).isEqualTo(code);
        assertThat(reply.json().at("/error/error_data/details").asString()).contains(field);
    }
}
