package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.HexaIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The receiving end of Meta's webhooks, spoken to exactly as Meta does, over HTTP. */
class WebhookReceiverTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private final HttpClient http = HttpClient.newHttpClient();
    private Fixtures.TestWorkspace workspace;
    private String callbackPath;
    private String appSecret;
    private String verifyToken;

    @BeforeEach
    void connectANumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Receiver Co");
        workspace = shop.workspace();
        ConnectionService.View view = shop.number();
        callbackPath = view.callbackUrl().replaceFirst("^https?://[^/]+", "");
        verifyToken = view.verifyToken();
        appSecret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", view.id()).query(String.class).single());
    }

    @Test
    void the_handshake_echoes_the_challenge_only_for_the_right_verify_token() throws Exception {
        HttpResponse<String> right = get(callbackPath + "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + encode(verifyToken));
        HttpResponse<String> wrong = get(callbackPath + "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vibecoding");
        HttpResponse<String> missing = get(callbackPath + "?hub.mode=subscribe");
        HttpResponse<String> unknown = get("/webhooks/whatsapp/wh_AAAAAAAAAAAAAAAAAAAAAA_nothing?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x");

        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("1158201444");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("1158201444");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void a_signed_post_is_stored_byte_for_byte_before_it_is_acknowledged() throws Exception {
        byte[] body = example("inbound-text.json");

        HttpResponse<String> response = post(callbackPath, body, WebhookSignature.of(body, appSecret));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(storedBodies()).containsExactly(new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void a_bad_missing_or_foreign_signature_gets_401_and_stores_nothing() throws Exception {
        byte[] body = example("inbound-text.json");
        String good = WebhookSignature.of(body, appSecret);
        byte[] reserialised = new String(body, StandardCharsets.UTF_8).replace("\n", "").getBytes(StandardCharsets.UTF_8);

        List<Integer> statuses = new ArrayList<>();
        statuses.add(post(callbackPath, body, null).statusCode());
        statuses.add(post(callbackPath, body, "sha256=" + "0".repeat(64)).statusCode());
        statuses.add(post(callbackPath, body, WebhookSignature.of(body, "another-apps-secret")).statusCode());
        statuses.add(post(callbackPath, body, good.replace("sha256=", "sha1=")).statusCode());
        statuses.add(post(callbackPath, reserialised, good).statusCode());
        statuses.add(post(callbackPath, (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8), good).statusCode());

        assertThat(statuses).containsOnly(401);
        assertThat(storedBodies()).isEmpty();
    }

    @Test
    void the_worked_signature_example_of_the_contract_is_accepted() throws Exception {
        String secret = "0123456789abcdef0123456789abcdef";
        byte[] body = resource("whatsapp-signature/body-ascii.json");
        assertThat(WebhookSignature.of(body, secret)).isEqualTo("sha256=4a11fb8da9e9aa59dd1733b00ca25380d75e1512ade533f7ec2f2c0b9d43c7b1");
        byte[] unicode = resource("whatsapp-signature/body-unicode-escaped.json");
        assertThat(WebhookSignature.of(unicode, secret)).isEqualTo("sha256=3d7cfc6f798c03b1cd991e28333cbb9e02ccb244a5108aef94267038bc645812");
        assertThat(WebhookSignature.matches(unicode, "sha256=3d7cfc6f798c03b1cd991e28333cbb9e02ccb244a5108aef94267038bc645812", secret)).isTrue();
        assertThat(WebhookSignature.matches(unicode, "sha256=41daeced59a0d0f3654a3dda3f5d2703ef7f56f5ec8a2f3d748ec41af6aba53c", secret))
                .as("the signature of the re-serialised body does not match").isFalse();
    }

    @Test
    void every_example_payload_of_meta_is_accepted_when_signed() throws Exception {
        Resource[] examples = new PathMatchingResourcePatternResolver().getResources("classpath:whatsapp/examples/*.json");
        assertThat(examples).hasSizeGreaterThan(40);
        for (Resource example : examples) {
            byte[] body = example.getContentAsByteArray();
            assertThat(post(callbackPath, body, WebhookSignature.of(body, appSecret)).statusCode()).as(example.getFilename()).isEqualTo(200);
        }
        assertThat(storedBodies()).hasSize(examples.length);
    }

    @Test
    void an_oversized_post_is_refused_without_being_stored() throws Exception {
        byte[] body = new byte[WebhookReceiver.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(body, (byte) 'x');
        assertThat(post(callbackPath, body, WebhookSignature.of(body, appSecret)).statusCode()).isEqualTo(413);
        assertThat(storedBodies()).isEmpty();
    }

    @Test
    void rejections_are_counted_for_operators() throws Exception {
        byte[] body = example("status-delivered.json");
        post(callbackPath, body, "sha256=" + "1".repeat(64));
        String metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("hexa_whatsapp_webhooks_total\\{outcome=\"bad_signature\"\\} [1-9]");
    }

    private List<String> storedBodies() {
        return jdbc.sql("select body from webhook_events where tenant_id = :t order by received_at, id").param("t", workspace.id()).query(String.class).list();
    }

    private byte[] example(String name) throws IOException {
        return resource("whatsapp/examples/" + name);
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = WebhookReceiverTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void only_the_callback_itself_answers_under_the_webhook_path() throws Exception {
        byte[] body = example("inbound-text.json");
        String signature = WebhookSignature.of(body, appSecret);

        HttpResponse<String> deeper = post(callbackPath + "/extra", body, signature);
        HttpResponse<String> withParameter = post(callbackPath + ";jsessionid=1", body, signature);
        HttpResponse<String> noKey = post("/webhooks/whatsapp/", body, signature);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + callbackPath))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("X-Hub-Signature-256", signature).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(deeper.statusCode()).isEqualTo(404);
        assertThat(withParameter.statusCode()).isEqualTo(404);
        assertThat(noKey.statusCode()).isEqualTo(404);
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(storedBodies()).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
