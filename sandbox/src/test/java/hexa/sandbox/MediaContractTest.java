package hexa.sandbox;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Media endpoints: upload, retrieve URL, download with the bearer token, delete; Meta's types and limits. */
class MediaContractTest extends SandboxTest {

    private static final byte[] PHOTO = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46};

    @Test
    void anUploadAnswersAnIdAsInMetasExample() {
        Reply reply = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(shape(reply.json(), "")).isEqualTo(shape(JSON.readTree(fixture("api/response-media-upload.json")), ""));
    }

    @Test
    void theMediaObjectHasMetasFieldsAndItsUrlDownloadsTheBytesWithTheToken() {
        String id = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO).json().get("id").asString();

        Reply media = graphGet("/" + id, token);
        Reply download = graphGet(media.json().get("url").asString(), token);
        Reply withoutToken = graphGet(media.json().get("url").asString(), null);
        Reply otherToken = graphGet(media.json().get("url").asString(), "EAAother");

        assertThat(shape(media.json(), "")).isEqualTo(shape(JSON.readTree(fixture("api/response-media-get-url.json")), ""));
        assertThat(media.json().get("file_size").isString()).isTrue();
        assertThat(media.json().get("file_size").asString()).isEqualTo(Integer.toString(PHOTO.length));
        assertThat(media.json().get("mime_type").asString()).isEqualTo("image/jpeg");
        assertThat(media.json().get("sha256").asString()).hasSize(64);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.raw()).isEqualTo(PHOTO);
        assertThat(download.response().headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(withoutToken.status()).isEqualTo(404);
        assertThat(otherToken.status()).isEqualTo(404);
    }

    @Test
    void aDownloadUrlExpiresAfterFiveMinutes() {
        String id = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO).json().get("id").asString();
        String url = graphGet("/" + id, token).json().get("url").asString();

        control("POST", "/clock", "{\"advanceSeconds\": 301}");

        assertThat(graphGet(url, token).status()).isEqualTo(404);
        assertThat(graphGet(graphGet("/" + id, token).json().get("url").asString(), token).status()).isEqualTo(200);
    }

    @Test
    void deletingAnswersSuccessAndTheMediaIsGone() {
        String id = uploadMedia(number.phoneNumberId(), token, "application/pdf", "invoice.pdf", "%PDF-1.4".getBytes()).json().get("id").asString();

        Reply deleted = graphDelete("/" + id, token);
        Reply after = graphGet("/" + id, token);

        assertThat(deleted.json()).isEqualTo(JSON.readTree(fixture("api/response-media-delete.json")));
        assertThat(after.json().at("/error/code").asInt()).isEqualTo(100);
    }

    @Test
    void theOptionalPhoneNumberIdMustOwnTheMedia() {
        String id = uploadMedia(number.phoneNumberId(), token, "image/png", "p.png", PHOTO).json().get("id").asString();

        assertThat(graphGet("/" + id + "?phone_number_id=" + number.phoneNumberId(), token).status()).isEqualTo(200);
        assertThat(graphGet("/" + id + "?phone_number_id=123", token).json().at("/error/code").asInt()).isEqualTo(100);
    }

    @Test
    void unsupportedTypesAndOversizedFilesAreRefusedWith131053() {
        Reply exe = uploadMedia(number.phoneNumberId(), token, "application/x-msdownload", "a.exe", PHOTO);
        Reply bigImage = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "big.jpg", new byte[5 * 1024 * 1024 + 1]);
        Reply bigSticker = uploadMedia(number.phoneNumberId(), token, "image/webp", "s.webp", new byte[100 * 1024 + 1]);
        Reply fineAudio = uploadMedia(number.phoneNumberId(), token, "audio/ogg", "v.ogg", new byte[1024]);

        assertThat(exe.json().at("/error/code").asInt()).isEqualTo(131053);
        assertThat(bigImage.json().at("/error/code").asInt()).isEqualTo(131053);
        assertThat(bigSticker.json().at("/error/code").asInt()).isEqualTo(131053);
        assertThat(fineAudio.status()).isEqualTo(200);
    }

    @Test
    void anUploadNeedsMessagingProductAndAValidToken() {
        Reply wrongToken = uploadMedia(number.phoneNumberId(), "EAAwrong", "image/jpeg", "p.jpg", PHOTO);

        assertThat(wrongToken.json().at("/error/code").asInt()).isEqualTo(190);
    }

    @Test
    void mediaOfOneNumberIsInvisibleToAnother() {
        String id = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO).json().get("id").asString();
        var other = numbers.register(null, null, null, null, "s", "", "v");

        JsonNode reply = graphGet("/" + id, other.accessToken()).json();

        assertThat(reply.at("/error/code").asInt()).isEqualTo(100);
        assertThat(reply.at("/error/error_subcode").asInt()).isEqualTo(33);
    }

    @Test
    void injectedUploadFailuresCanBeAimedAtOneNumber() {
        var other = numbers.register(null, null, null, null, "s", "", "v");
        try {
            control("PATCH", "/switches", "{\"mediaUploadFailures\": 1, \"mediaUploadFailureCode\": 131016, \"mediaUploadFailurePhoneNumberId\": \""
                    + number.phoneNumberId() + "\"}");

            assertThat(uploadMedia(other.phoneNumberId(), other.accessToken(), "image/jpeg", "photo.jpg", PHOTO).status())
                    .as("another number's upload does not meet the failure").isEqualTo(200);
            Reply refused = uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().at("/error/code").asInt()).isEqualTo(131016);
            assertThat(uploadMedia(number.phoneNumberId(), token, "image/jpeg", "photo.jpg", PHOTO).status()).as("only once").isEqualTo(200);
        } finally {
            control("PATCH", "/switches", "{\"mediaUploadFailures\": 0, \"mediaUploadFailurePhoneNumberId\": null}");
        }
    }
}
