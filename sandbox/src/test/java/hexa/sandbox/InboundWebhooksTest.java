package hexa.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated customer can send every inbound type of the contract; the webhook carries it in the
 * shape of Meta's example for that type, signed with the app secret.
 */
class InboundWebhooksTest extends SandboxTest {

    /** The message of an example webhook, without the fields the sandbox fills in itself. */
    private static String exampleMessage(String file) {
        JsonNode message = JSON.readTree(fixture(file)).at("/entry/0/changes/0/value/messages/0").deepCopy();
        ((tools.jackson.databind.node.ObjectNode) message).remove(java.util.List.of("from", "id", "timestamp", "errors", "from_user_id"));
        return message.toString();
    }

    @ParameterizedTest
    @CsvSource({"inbound-text.json", "inbound-text-reply-context.json", "inbound-text-forwarded.json",
        "inbound-text-frequently-forwarded.json", "inbound-image.json", "inbound-image-no-caption.json", "inbound-audio-voice.json",
        "inbound-audio-file-forwarded.json", "inbound-video.json", "inbound-document.json", "inbound-sticker-static.json",
        "inbound-sticker-animated.json", "inbound-location.json", "inbound-location-current-coordinates-only.json",
        "inbound-contacts.json", "inbound-interactive-button-reply.json", "inbound-interactive-list-reply.json",
        "inbound-button-template-quick-reply.json", "inbound-reaction.json", "inbound-reaction-removed-empty-emoji.json",
        "inbound-reaction-removed-no-emoji.json", "inbound-unsupported.json", "inbound-unsupported-with-type.json"})
    void everyInboundTypeArrivesInMetasShape(String file) {
        JsonNode example = JSON.readTree(fixture(file)).at("/entry/0/changes/0/value");
        String waId = "1555" + Math.abs(file.hashCode() % 10_000_000);
        String body = exampleMessage(file);
        if (file.startsWith("inbound-image") || file.startsWith("inbound-audio") || file.startsWith("inbound-video")
                || file.startsWith("inbound-document") || file.startsWith("inbound-sticker")) {
            // Meta's media ids are not ours: let the sandbox attach a file of its own.
            JsonNode parsed = JSON.readTree(body);
            ((tools.jackson.databind.node.ObjectNode) parsed.get(parsed.get("type").asString())).remove("id");
            body = parsed.toString();
        }

        JsonNode sent = customerSends(waId, body);

        JsonNode value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));
        if (value == null) {
            receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
            value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));
        }
        JsonNode message = value.get("messages").get(0);
        // The media "url" field is being rolled out by Meta gradually; the sandbox sends the shape without it.
        assertThat(shape(value, "")).containsAll(shape(example, "").stream()
                .filter(p -> !p.equals("messages.[].image.url")).toList());
        assertThat(message.get("type")).isEqualTo(example.at("/messages/0/type"));
        assertThat(message.get("from").asString()).isEqualTo(waId);
        assertThat(value.at("/metadata/phone_number_id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(value.at("/contacts/0/wa_id").asString()).isEqualTo(waId);
        String type = message.get("type").asString();
        if (message.has(type) && message.get(type).has("sha256")) {
            assertThat(message.get(type).get("id").asString()).isNotBlank();
        }
    }

    @Test
    void everyPostIsSignedWithTheAppSecretOverTheExactBytes() {
        JsonNode sent = customerSends("15550002001", "{\"type\":\"text\",\"text\":{\"body\":\"Caf\\u00e9 \\ud83d\\udc4d\"}}");

        receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);

        assertThat(receiver.deliveries()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.signature()).startsWith("sha256=");
            assertThat(d.signatureValid()).isTrue();
        });
        JsonNode text = receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
        assertThat(text.at("/text/body").asString()).isEqualTo("Caf\u00e9 \ud83d\udc4d");
    }

    @Test
    void aCustomerKnownOnlyByBusinessScopedUserIdHasNoPhoneNumber() {
        JsonNode sent = customerSends("US.13491208655302741918", "{\"type\":\"text\",\"text\":{\"body\":\"hello from a username\"}}");

        JsonNode value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));
        if (value == null) {
            receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
            value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));
        }
        assertThat(value.at("/contacts/0/user_id").asString()).isEqualTo("US.13491208655302741918");
        assertThat(value.at("/contacts/0").has("wa_id")).isFalse();
        assertThat(value.at("/messages/0/from_user_id").asString()).isEqualTo("US.13491208655302741918");
        assertThat(value.at("/messages/0").has("from")).isFalse();
    }

    @Test
    void aChangedNumberIsASystemMessageWithoutContacts() {
        customerSends("16505559999", "{\"type\":\"text\",\"text\":{\"body\":\"old number\"}}");
        JsonNode sent = customerSends("16505559999", "{\"type\":\"system\",\"system\":{\"type\":\"user_changed_number\",\"wa_id\":\"12195555358\"}}");

        receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
        JsonNode value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));

        JsonNode example = JSON.readTree(fixture("system-user-changed-number.json")).at("/entry/0/changes/0/value");
        assertThat(shape(value, "")).isEqualTo(shape(example, ""));
        assertThat(value.at("/messages/0/system/wa_id").asString()).isEqualTo("12195555358");
        assertThat(value.at("/messages/0/from").asString()).isEqualTo("16505559999");
        JsonNode after = customerSends("12195555358", "{\"type\":\"text\",\"text\":{\"body\":\"new number\"}}");
        assertThat(after.get("from").asString()).isEqualTo("12195555358");
    }

    @Test
    void anIdentityChangeCarriesTheIdentityBlock() {
        JsonNode sent = customerSends("16505558888", "{\"type\":\"system\",\"system\":{\"type\":\"customer_identity_changed\"}}");

        receiver.await("messages", m -> m.get("id").asString().equals(sent.get("id").asString()), WAIT);
        JsonNode value = receiver.valueCarrying("messages", m -> m.get("id").asString().equals(sent.get("id").asString()));

        assertThat(shape(value, "")).isEqualTo(shape(JSON.readTree(fixture("system-customer-identity-changed.json")).at("/entry/0/changes/0/value"), ""));
    }

    @Test
    void customerMediaCanBeFetchedByTheBusinessWithItsToken() {
        JsonNode sent = customerSends("15550002002", "{\"type\":\"image\",\"image\":{\"caption\":\"Damaged box\"}}");
        String mediaId = sent.at("/image/id").asString();

        Reply meta = graphGet("/" + mediaId, token);
        Reply file = graphGet(meta.json().get("url").asString(), token);

        assertThat(meta.json().get("mime_type").asString()).isEqualTo("image/jpeg");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.raw().length).isEqualTo(Integer.parseInt(meta.json().get("file_size").asString()));
    }

    @Test
    void aControlRequestWithoutAMessageObjectIsRefused() {
        Reply reply = control("POST", "/customers/15550002003/messages", "{\"phoneNumberId\":\"" + number.phoneNumberId() + "\",\"type\":\"text\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asString()).isEqualTo("unsendable_message");
    }
}
