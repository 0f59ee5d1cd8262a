package hexa.sandbox;

import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /{phone-number-id}/messages accepts every request in Meta's examples and answers Meta's shapes. */
class SendMessagesContractTest extends SandboxTest {

    private static final String CUSTOMER = "16505551234";
    private String imageId;
    private String audioId;
    private String videoId;
    private String documentId;
    private String stickerId;

    @BeforeAll
    void uploadMediaAndOpenWindow() {
        imageId = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "a.jpg", new byte[] {1, 2, 3}).json().get("id").asString();
        audioId = uploadMedia(number.phoneNumberId(), token, "audio/ogg", "a.ogg", new byte[] {1, 2, 3}).json().get("id").asString();
        videoId = uploadMedia(number.phoneNumberId(), token, "video/mp4", "a.mp4", new byte[] {1, 2, 3}).json().get("id").asString();
        documentId = uploadMedia(number.phoneNumberId(), token, "application/pdf", "a.pdf", new byte[] {1, 2, 3}).json().get("id").asString();
        stickerId = uploadMedia(number.phoneNumberId(), token, "image/webp", "a.webp", new byte[] {1, 2, 3}).json().get("id").asString();
        customerSends(CUSTOMER, "{\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");
    }

    private String example(String file) {
        return fixture("api/" + file)
                .replace("{{Recipient-Phone-Number}}", "+" + CUSTOMER)
                .replace("<IMAGE_OBJECT_ID>", imageId)
                .replace("<AUDIO_OBJECT_ID>", audioId)
                .replace("<VIDEO_OBJECT_ID>", videoId)
                .replace("<DOCUMENT_OBJECT_ID>", documentId)
                .replace("<MEDIA_OBJECT_ID>", stickerId)
                .replace("http(s)://image-url", "https://example.com/image.jpg")
                .replaceAll("<http\\(s\\)://([a-z]+)-url>", "https://example.com/$1")
                .replace("<DOCUMENT_FILENAME>", "invoice.pdf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"send-text.json", "send-text-preview-url.json", "send-text-preview-url-openapi-no-type.json",
        "send-reply-text-context.json", "send-template-hello-world.json", "send-image-by-id.json", "send-image-by-link.json",
        "send-audio-by-id.json", "send-audio-by-link.json", "send-video-by-id.json", "send-video-by-link.json",
        "send-document-by-id.json", "send-document-by-link.json", "send-sticker-by-id.json", "send-sticker-by-link.json",
        "send-location.json", "send-contacts.json", "send-interactive-button.json", "send-interactive-list.json",
        "send-interactive-cta-url.json", "send-reaction.json", "send-reaction-remove.json"})
    void acceptsMetasExampleRequestsWithMetasSuccessShape(String file) {
        Reply reply = send(example(file));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(shape(reply.json(), "")).isEqualTo(shape(JSON.readTree(fixture("api/response-send-success.json")), ""));
        assertThat(reply.json().get("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(reply.json().at("/contacts/0/input").asString()).isEqualTo("+" + CUSTOMER);
        assertThat(reply.json().at("/contacts/0/wa_id").asString()).isEqualTo(CUSTOMER);
        assertThat(reply.json().at("/messages/0/id").asString()).startsWith("wamid.");
    }

    @Test
    void markAsReadAndTypingIndicatorAnswerSuccess() {
        String inbound = customerSends(CUSTOMER, "{\"type\":\"text\",\"text\":{\"body\":\"are you there?\"}}").get("id").asString();

        Reply read = send(fixture("api/send-mark-read.json").replace("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", inbound));
        Reply typing = send(fixture("api/send-mark-read-with-typing-indicator.json")
                .replace("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUYzMjEzNDM2RTZGQ0MzMDJBRgA=", inbound));

        assertThat(read.json()).isEqualTo(JSON.readTree(fixture("api/response-mark-read.json")));
        assertThat(typing.json()).isEqualTo(JSON.readTree(fixture("api/response-mark-read.json")));
        JsonNode chat = control("GET", "/numbers/" + number.phoneNumberId() + "/chats/" + CUSTOMER, null).json();
        assertThat(chat.get("businessTyping").asBoolean()).isTrue();
    }

    @Test
    void aMissingOrWrongTokenIsError190InMetasEnvelope() {
        Reply missing = graphPost("/" + number.phoneNumberId() + "/messages", null, example("send-text.json"));
        Reply wrong = graphPost("/" + number.phoneNumberId() + "/messages", "EAAnot-a-token", example("send-text.json"));

        for (Reply reply : new Reply[] {missing, wrong}) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().at("/error/code").asInt()).isEqualTo(190);
            assertThat(reply.json().at("/error/type").asString()).isEqualTo("OAuthException");
            assertThat(reply.json().at("/error/fbtrace_id").asString()).isNotBlank();
        }
    }

    @Test
    void anotherNumbersTokenCannotSendFromThisNumber() {
        var other = numbers.register(null, null, null, null, "s", "", "v");

        Reply reply = graphPost("/" + number.phoneNumberId() + "/messages", other.accessToken(), example("send-text.json"));

        assertThat(reply.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(reply.json().at("/error/error_subcode").asInt()).isEqualTo(33);
    }

    @Test
    void errorsHaveExactlyMetasEnvelope() {
        Reply reply = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"template\","
                + "\"template\":{\"name\":\"no_such_template\",\"language\":{\"code\":\"en_US\"}}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(shape(reply.json(), "")).isEqualTo(shape(JSON.readTree(fixture("api/error-132001-template-not-found.json")), ""));
        assertThat(reply.json().at("/error/code").asInt()).isEqualTo(132001);
        assertThat(reply.json().at("/error/message").asString()).isEqualTo("(#132001) Template name does not exist in the translation");
        assertThat(reply.json().at("/error/error_data/details").asString()).isEqualTo("template name (no_such_template) does not exist in en_US");
    }

    @Test
    void aMissingTopLevelParameterIs100NamingIt() {
        Reply noProduct = send("{\"to\":\"" + CUSTOMER + "\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        Reply noRecipient = send("{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        Reply badType = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"fax\",\"fax\":{}}");

        assertThat(noProduct.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(noProduct.json().at("/error/error_data/details").asString()).contains("messaging_product");
        assertThat(noRecipient.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(noRecipient.json().at("/error/error_data/details").asString()).contains("to");
        assertThat(badType.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(badType.json().at("/error/error_data/details").asString()).contains("type");
    }

    @Test
    void aMissingFieldOfTheMessageIs131008NamingIt() {
        Reply noBody = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"text\",\"text\":{}}");
        Reply noMedia = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"image\",\"image\":{}}");
        Reply noRowTitle = send(example("send-interactive-list.json").replace("\"title\": \"<SECTION_1_ROW_1_TITLE>\"", "\"x\": 1"));

        assertThat(noBody.json().at("/error/code").asInt()).isEqualTo(131008);
        assertThat(noBody.json().at("/error/error_data/details").asString()).contains("text.body");
        assertThat(noMedia.json().at("/error/code").asInt()).isEqualTo(131008);
        assertThat(noRowTitle.json().at("/error/code").asInt()).isEqualTo(131008);
        assertThat(noRowTitle.json().at("/error/error_data/details").asString()).contains("rows[0].title");
    }

    @Test
    void aValueOutsideMetasLimitsIs131009NamingIt() {
        Reply longBody = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"text\",\"text\":{\"body\":\""
                + "x".repeat(4097) + "\"}}");
        Reply fourButtons = send(example("send-interactive-button.json").replace("\"buttons\": [",
                "\"buttons\": [{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":\"A\"}},{\"type\":\"reply\",\"reply\":{\"id\":\"b\",\"title\":\"B\"}},"));
        Reply badLatitude = send(example("send-location.json").replace("37.758056", "137.7"));

        assertThat(longBody.json().at("/error/code").asInt()).isEqualTo(131009);
        assertThat(longBody.json().at("/error/error_data/details").asString()).contains("text.body");
        assertThat(fourButtons.json().at("/error/code").asInt()).isEqualTo(131009);
        assertThat(fourButtons.json().at("/error/error_data/details").asString()).contains("buttons");
        assertThat(badLatitude.json().at("/error/code").asInt()).isEqualTo(131009);
        assertThat(badLatitude.json().at("/error/error_data/details").asString()).contains("latitude");
    }

    @Test
    void unusableMediaIs131053() {
        Reply unknown = send(example("send-image-by-id.json").replace(imageId, "999"));
        Reply wrongKind = send(example("send-image-by-id.json").replace(imageId, documentId));

        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(131053);
        assertThat(wrongKind.json().at("/error/code").asInt()).isEqualTo(131053);
    }

    @Test
    void aTemplateWithTheWrongNumberOfParametersIs132000() {
        Reply reply = send("{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"template\","
                + "\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"},"
                + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"extra\"}]}]}}");

        assertThat(reply.json().at("/error/code").asInt()).isEqualTo(132000);
        assertThat(reply.json().at("/error/error_data/details").asString()).contains("body");
    }

    @Test
    void aTemplateInAnotherLanguageIs132001() {
        Reply reply = send(example("send-template-hello-world.json").replace("en_US", "pt_BR"));

        assertThat(reply.json().at("/error/code").asInt()).isEqualTo(132001);
    }

    @Test
    void theGraphApiAcceptsAnyVersionPrefix() {
        Reply v23 = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/v23.0/" + number.phoneNumberId() + "/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(example("send-text.json"))).build());

        assertThat(v23.status()).isEqualTo(200);
        assertThat(Set.of(v23.json().properties().stream().map(java.util.Map.Entry::getKey).toArray()))
                .containsExactlyInAnyOrder("messaging_product", "contacts", "messages");
    }
}
