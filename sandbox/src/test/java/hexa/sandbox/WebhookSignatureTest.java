package hexa.sandbox;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import hexa.sandbox.webhooks.WebhookPayload;
import hexa.sandbox.webhooks.WebhookSignature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Hub-Signature-256 matches the worked examples in Meta's contract folder (signature/vectors.json). */
class WebhookSignatureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode VECTORS = JSON.readTree(SandboxTest.fixture("signature/vectors.json"));
    private static final String SECRET = VECTORS.get("app_secret").asString();

    private static JsonNode vector(String name) {
        for (JsonNode vector : VECTORS.get("vectors")) {
            if (vector.get("name").asString().equals(name)) {
                return vector;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void signsTheAsciiBodyAsMetaDoes() {
        byte[] body = SandboxTest.fixtureBytes("signature/body-ascii.json");

        assertThat(body).hasSize(499);
        assertThat(WebhookSignature.of(body, SECRET)).isEqualTo(vector("ascii-body-valid").get("expected_header_value").asString());
    }

    @Test
    void signsTheEscapedUnicodeBodyOverItsRawBytes() {
        byte[] body = SandboxTest.fixtureBytes("signature/body-unicode-escaped.json");

        assertThat(body).hasSize(510);
        assertThat(WebhookSignature.of(body, SECRET)).isEqualTo(vector("unicode-escaped-body-valid").get("expected_header_value").asString());
    }

    @Test
    void aTrailingNewlineChangesTheSignature() {
        byte[] body = (SandboxTest.fixture("signature/body-ascii.json") + "\n").getBytes(StandardCharsets.UTF_8);
        JsonNode vector = vector("ascii-body-with-trailing-newline");

        assertThat(WebhookSignature.of(body, SECRET)).isEqualTo(vector.get("actual_hmac_of_mutated_body").asString());
        assertThat(WebhookSignature.matches(body, SECRET, vector.get("header_value_sent").asString())).isFalse();
    }

    @Test
    void reserialisingTheUnicodeBodyChangesTheSignature() {
        byte[] reserialised = JSON.writeValueAsBytes(JSON.readTree(SandboxTest.fixtureBytes("signature/body-unicode-escaped.json")));
        JsonNode vector = vector("unicode-body-reserialised-as-utf8");

        assertThat(reserialised).hasSize(vector.get("reserialised_bytes").asInt());
        assertThat(WebhookSignature.of(reserialised, SECRET)).isEqualTo(vector.get("hmac_of_reserialised_utf8_body").asString());
    }

    @Test
    void aWrongSecretOrAMissingPrefixIsRejected() {
        byte[] body = SandboxTest.fixtureBytes("signature/body-ascii.json");

        assertThat(WebhookSignature.of(body, "not-the-secret")).isNotEqualTo(vector("ascii-body-valid").get("expected_header_value").asString());
        assertThat(WebhookSignature.matches(body, SECRET, vector("wrong-secret").get("header_value_sent").asString())).isFalse();
        assertThat(WebhookSignature.matches(body, SECRET, vector("missing-prefix").get("header_value_sent").asString())).isFalse();
        assertThat(WebhookSignature.matches(body, SECRET, vector("ascii-body-valid").get("expected_header_value").asString())).isTrue();
    }

    @Test
    void agreesWithTheThirdPartyExample() {
        JsonNode vector = vector("third-party-cross-check");

        assertThat(WebhookSignature.of(vector.get("message").asString().getBytes(StandardCharsets.UTF_8), vector.get("secret").asString()))
                .isEqualTo("sha256=" + vector.get("expected_hex").asString());
    }

    @Test
    void theSandboxSendsNonAsciiAsEscapesLikeTheUnicodeExample() {
        JsonNode parsed = JSON.readTree(SandboxTest.fixtureBytes("signature/body-unicode-escaped.json"));

        byte[] sent = WebhookPayload.bytes(JSON, parsed);

        assertThat(new String(sent, StandardCharsets.US_ASCII)).doesNotContainPattern("[^\\x00-\\x7F]").contains("\\u00e9");
        assertThat(JSON.readTree(sent)).isEqualTo(parsed);
    }
}
