package hexa.sandbox;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kinds of webhook Meta sends besides plain messages, each made by the sandbox through its control API and
 * compared, field by field and type by type, with Meta's example of it: Flow answers, call permissions, orders, ad
 * referrals, edits and deletions by the customer, marketing preferences, and what the WhatsApp Business app on the same
 * number reports (its messages' echoes, their edits and deletions, its address book).
 */
class EveryWebhookKindTest extends SandboxTest {

    /** Every path of a JSON value with the JSON type found there, e.g. {@code messages.[].timestamp:string}. */
    static Set<String> typedShape(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            for (var entry : node.properties()) {
                String path = prefix + entry.getKey();
                out.add(path + ":" + type(entry.getValue()));
                out.addAll(typedShape(entry.getValue(), path + "."));
            }
        } else if (node.isArray() && !node.isEmpty()) {
            out.addAll(typedShape(node.get(0), prefix + "[]."));
        }
        return out;
    }

    private static String type(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isString() ? "string" : "null";
    }

    private static JsonNode exampleValue(String file) {
        return JSON.readTree(fixture(file)).at("/entry/0/changes/0/value");
    }

    private static String exampleField(String file) {
        return JSON.readTree(fixture(file)).at("/entry/0/changes/0/field").asString();
    }

    /**
     * The change value that carried the item of {@code list} with this id, once it arrived, narrowed to that item (under
     * load the sandbox batches several items into one value).
     */
    private JsonNode arrived(String list, String id) {
        return arrived(list, m -> m.path("id").asString().equals(id));
    }

    private JsonNode arrived(String list, Predicate<JsonNode> item) {
        JsonNode found = receiver.await(list, item, WAIT);
        ObjectNode value = (ObjectNode) receiver.valueCarrying(list, item).deepCopy();
        value.putArray(list).add(found);
        return value;
    }

    private String fieldOf(String list, String id) {
        for (WebhookReceiver.Delivery delivery : receiver.deliveries()) {
            for (JsonNode change : delivery.json().at("/entry/0/changes")) {
                for (JsonNode candidate : change.path("value").path(list)) {
                    if (candidate.path("id").asString().equals(id)) {
                        return change.path("field").asString();
                    }
                }
            }
        }
        return null;
    }

    private static Set<String> without(Set<String> shape, String... prefixes) {
        Set<String> out = new TreeSet<>(shape);
        out.removeIf(path -> java.util.Arrays.stream(prefixes).anyMatch(path::startsWith));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"inbound-interactive-nfm-reply.json", "inbound-interactive-call-permission-reply.json", "inbound-order.json",
        "inbound-text-ctwa-referral.json", "inbound-text-reply-context.json"})
    void aCustomersFlowAnswerCallPermissionOrderAdReferralAndReplyArriveInMetasShape(String file) {
        ObjectNode message = (ObjectNode) JSON.readTree(fixture(file)).at("/entry/0/changes/0/value/messages/0").deepCopy();
        message.remove(java.util.List.of("from", "id", "timestamp", "from_user_id"));

        JsonNode sent = customerSends("1555" + Math.abs(file.hashCode() % 10_000_000), message.toString());

        JsonNode value = arrived("messages", sent.get("id").asString());
        assertThat(typedShape(value, "")).isEqualTo(without(typedShape(exampleValue(file), ""), "messages.[].from_user_id"));
        assertThat(value.at("/messages/0/" + message.get("type").asString())).isEqualTo(message.get(message.get("type").asString()));
    }

    @Test
    void aFlowAnswerGivenAsAnObjectIsSentAsMetasResponseJsonString() {
        JsonNode sent = customerSends("15550004001", """
                {"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":{"flow_token":"T1","rating":"5"}}}}""");

        JsonNode reply = arrived("messages", sent.get("id").asString()).at("/messages/0/interactive/nfm_reply");
        assertThat(reply.get("response_json").isString()).isTrue();
        assertThat(JSON.readTree(reply.get("response_json").asString()).get("rating").asString()).isEqualTo("5");
        assertThat(reply.get("name").asString()).isEqualTo("flow");
        assertThat(reply.get("body").asString()).isEqualTo("Sent");
    }

    @Test
    void aCustomerEditsTheCaptionOfAPhotoAsMetasEditExampleShows() {
        JsonNode photo = customerSends("15550004002", "{\"type\":\"image\",\"image\":{\"caption\":\"Box\"}}");

        JsonNode edit = customerSends("15550004002", "{\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + photo.get("id").asString()
                + "\",\"message\":{\"type\":\"image\",\"image\":{\"caption\":\"Damaged box\"}}}}");

        JsonNode value = arrived("messages", edit.get("id").asString());
        // Meta's example also shows a context ("M0") inside the edited message and the newer media url; neither is explained.
        assertThat(typedShape(value, "")).isEqualTo(without(typedShape(exampleValue("inbound-edit.json"), ""),
                "messages.[].edit.message.context", "messages.[].edit.message.image.url"));
        assertThat(value.at("/messages/0/edit/original_message_id").asString()).isEqualTo(photo.get("id").asString());
        assertThat(value.at("/messages/0/edit/message/image/caption").asString()).isEqualTo("Damaged box");
        assertThat(value.at("/messages/0/edit/message/image/id").asString()).as("the same file").isEqualTo(photo.at("/image/id").asString());
        JsonNode line = lineOf("15550004002", photo.get("id").asString());
        assertThat(line.at("/edited/image/caption").asString()).isEqualTo("Damaged box");
    }

    @Test
    void aCustomerEditsATextAndDeletesAMessageAsMetasExamplesShow() {
        JsonNode text = customerSends("15550004003", "{\"type\":\"text\",\"text\":{\"body\":\"When will it shipp?\"}}");

        JsonNode edit = customerSends("15550004003", "{\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + text.get("id").asString()
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"When will it ship?\"}}}}");
        JsonNode revoke = customerSends("15550004003", "{\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + text.get("id").asString() + "\"}}");

        JsonNode edited = arrived("messages", edit.get("id").asString());
        assertThat(edited.at("/messages/0/edit/message/text/body").asString()).isEqualTo("When will it ship?");
        assertThat(edited.at("/messages/0/edit/message/type").asString()).isEqualTo("text");
        JsonNode revoked = arrived("messages", revoke.get("id").asString());
        assertThat(typedShape(revoked, "")).isEqualTo(typedShape(exampleValue("inbound-revoke.json"), ""));
        assertThat(revoked.at("/messages/0/revoke/original_message_id").asString()).isEqualTo(text.get("id").asString());
        assertThat(lineOf("15550004003", text.get("id").asString()).get("deleted").asBoolean()).isTrue();
    }

    @Test
    void anEditOrDeletionTheCustomerCouldNotMakeIsRefusedAndNothingIsSent() throws InterruptedException {
        JsonNode mine = customerSends("15550004004", "{\"type\":\"text\",\"text\":{\"body\":\"mine\"}}");
        long old = Instant.now().minusSeconds(20 * 60).getEpochSecond();
        JsonNode earlier = customerSends("15550004004", "{\"type\":\"text\",\"text\":{\"body\":\"twenty minutes ago\"},\"timestamp\":" + old + "}");
        arrived("messages", mine.get("id").asString());
        arrived("messages", earlier.get("id").asString());
        int deliveriesBefore = receiver.attempts().size();

        Reply someoneElses = control("POST", "/customers/15550004005/messages", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\"" + mine.get("id").asString() + "\"}}");
        Reply tooLate = control("POST", "/customers/15550004004/messages", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + earlier.get("id").asString()
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"too late\"}}}}");
        Reply wrongType = control("POST", "/customers/15550004004/messages", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + mine.get("id").asString()
                + "\",\"message\":{\"type\":\"image\",\"image\":{\"caption\":\"no\"}}}}");
        Reply future = control("POST", "/customers/15550004004/messages", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"type\":\"text\",\"text\":{\"body\":\"from tomorrow\"},\"timestamp\":" + (Instant.now().getEpochSecond() + 86400) + "}");

        for (Reply refused : java.util.List.of(someoneElses, tooLate, wrongType, future)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
            assertThat(refused.json().get("message").asString()).isNotBlank();
        }
        assertThat(tooLate.json().get("message").asString()).contains("15 minutes");
        assertThat(control("GET", "/customers", null).text()).doesNotContain("15550004005");
        assertThat(lineOf("15550004004", mine.get("id").asString()).get("deleted").asBoolean()).isFalse();
        Thread.sleep(300);
        assertThat(receiver.attempts()).as("nothing sent").hasSize(deliveriesBefore);
    }

    @Test
    void aMessageCanBeDatedInThePastForAConversationsHistory() {
        long twoDaysAgo = Instant.now().minusSeconds(2 * 86400).getEpochSecond();

        JsonNode sent = customerSends("15550004006", "{\"type\":\"text\",\"text\":{\"body\":\"from Monday\"},\"timestamp\":\"" + twoDaysAgo + "\"}");

        assertThat(arrived("messages", sent.get("id").asString()).at("/messages/0/timestamp").asString()).isEqualTo(Long.toString(twoDaysAgo));
        assertThat(control("GET", "/numbers/" + number.phoneNumberId() + "/chats/15550004006", null).json().get("serviceWindowOpen").asBoolean())
                .as("the window opens when the message is sent, as the app counts it from receipt").isTrue();
    }

    @ParameterizedTest
    @CsvSource({"stop, user-preferences-marketing-stop.json", "resume, user-preferences-marketing-resume.json"})
    void aCustomerStopsOrResumesMarketingAsMetasExampleShows(String value, String file) {
        customerSends("15550004007", "{\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");

        Reply reply = control("POST", "/customers/15550004007/preferences", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"marketing\":\"" + value + "\"}");

        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        JsonNode value1 = arrived("user_preferences", p -> p.get("value").asString().equals(value)
                && p.get("wa_id").asString().equals("15550004007") && p.get("timestamp").asLong() == reply.json().get("timestamp").asLong());
        assertThat(typedShape(value1, "")).isEqualTo(typedShape(exampleValue(file), ""));
        assertThat(value1.at("/metadata/phone_number_id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(exampleField(file)).isEqualTo("user_preferences");
        assertThat(control("POST", "/customers/15550004007/preferences", "{\"phoneNumberId\":\"" + number.phoneNumberId()
                + "\",\"marketing\":\"later\"}").status()).isEqualTo(400);
    }

    @Test
    void theBusinessAppsMessagesComeAsEchoesAndSoDoTheirEditsAndDeletions() {
        customerSends("16505551234", "{\"type\":\"text\",\"text\":{\"body\":\"Is it in stock?\"}}");

        Reply text = control("POST", "/numbers/" + number.phoneNumberId() + "/echoes",
                "{\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"Yes, two left\"}}");
        Reply image = control("POST", "/numbers/" + number.phoneNumberId() + "/echoes",
                "{\"to\":\"16505551234\",\"type\":\"image\",\"image\":{\"caption\":\"This one\"}}");
        assertThat(text.status()).as(text.text()).isEqualTo(201);
        assertThat(image.status()).as(image.text()).isEqualTo(201);
        Reply edit = control("POST", "/numbers/" + number.phoneNumberId() + "/echoes", "{\"to\":\"16505551234\",\"type\":\"edit\",\"edit\":"
                + "{\"original_message_id\":\"" + image.json().get("id").asString() + "\",\"message\":{\"type\":\"image\",\"image\":{\"caption\":\"This blue one\"}}}}");
        Reply revoke = control("POST", "/numbers/" + number.phoneNumberId() + "/echoes", "{\"to\":\"16505551234\",\"type\":\"revoke\",\"revoke\":"
                + "{\"original_message_id\":\"" + text.json().get("id").asString() + "\"}}");
        assertThat(edit.status()).as(edit.text()).isEqualTo(201);
        assertThat(revoke.status()).as(revoke.text()).isEqualTo(201);

        JsonNode textValue = arrived("message_echoes", text.json().get("id").asString());
        assertThat(typedShape(textValue, "")).isEqualTo(typedShape(exampleValue("smb-message-echoes.json"), ""));
        assertThat(fieldOf("message_echoes", text.json().get("id").asString())).isEqualTo("smb_message_echoes");
        assertThat(textValue.at("/message_echoes/0/from").asString()).isEqualTo(number.displayPhoneNumber());
        assertThat(textValue.at("/message_echoes/0/to").asString()).isEqualTo("16505551234");
        JsonNode imageEcho = receiver.await("message_echoes", m -> m.path("id").asString().equals(image.json().get("id").asString()), WAIT)
                .get("image");
        assertThat(imageEcho.get("caption").asString()).isEqualTo("This one");
        assertThat(graphGet("/" + imageEcho.get("id").asString(), token).status()).as("the business can fetch the photo").isEqualTo(200);
        JsonNode editValue = arrived("message_echoes", edit.json().get("id").asString());
        assertThat(typedShape(editValue, "")).isEqualTo(without(typedShape(exampleValue("smb-message-echoes-edit.json"), ""),
                "message_echoes.[].edit.message.context", "message_echoes.[].edit.message.image.url"));
        JsonNode revokeValue = arrived("message_echoes", revoke.json().get("id").asString());
        assertThat(typedShape(revokeValue, "")).isEqualTo(typedShape(exampleValue("smb-message-echoes-revoke.json"), ""));

        Reply notAnEcho = control("POST", "/numbers/" + number.phoneNumberId() + "/echoes", "{\"to\":\"16505551234\",\"type\":\"revoke\",\"revoke\":"
                + "{\"original_message_id\":\"wamid.unknown\"}}");
        assertThat(notAnEcho.status()).isEqualTo(400);
    }

    @Test
    void theBusinessAppsAddressBookIsSyncedAsMetasExampleShows() {
        Reply added = control("POST", "/numbers/" + number.phoneNumberId() + "/contact-sync",
                "{\"action\":\"add\",\"phoneNumber\":\"+1 650 555 1299\",\"fullName\":\"Pablo Morales\"}");
        Reply removed = control("POST", "/numbers/" + number.phoneNumberId() + "/contact-sync",
                "{\"action\":\"remove\",\"phoneNumber\":\"16505551299\"}");
        Reply nameless = control("POST", "/numbers/" + number.phoneNumberId() + "/contact-sync",
                "{\"action\":\"add\",\"phoneNumber\":\"16505551299\"}");

        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(removed.status()).as(removed.text()).isEqualTo(201);
        assertThat(nameless.status()).isEqualTo(400);
        JsonNode value = arrived("state_sync", s -> s.get("action").asString().equals("add")
                && s.at("/contact/phone_number").asString().equals("16505551299"));
        JsonNode add = value.at("/state_sync/0");
        assertThat(typedShape(value, "")).isEqualTo(typedShape(exampleValue("smb-app-state-sync.json"), ""));
        assertThat(add.at("/contact/first_name").asString()).isEqualTo("Pablo");
        JsonNode remove = receiver.await("state_sync", s -> s.get("action").asString().equals("remove")
                && s.at("/contact/phone_number").asString().equals("16505551299"), WAIT);
        assertThat(remove.get("contact").has("full_name")).as("no names on remove, as Meta sends").isFalse();
    }

    private JsonNode lineOf(String customer, String messageId) {
        for (JsonNode line : control("GET", "/numbers/" + number.phoneNumberId() + "/chats/" + customer, null).json().get("lines")) {
            if (line.get("id").asString().equals(messageId)) {
                return line;
            }
        }
        throw new AssertionError("no line " + messageId);
    }
}
