package hexa.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import hexa.sandbox.access.ControlToken;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real sandbox over real HTTP, as the standalone jar does, with one real webhook receiver
 * and one business number per test class (so classes do not see each other's traffic).
 */
@SpringBootTest(classes = StandaloneSandbox.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hexa.sandbox.standalone=true", "hexa.sandbox.template-review-delay=300ms", "hexa.sandbox.graph-latency=0ms",
            "spring.servlet.multipart.max-file-size=110MB", "spring.servlet.multipart.max-request-size=120MB"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SandboxTest {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong NUMBERS = new AtomicLong(106540352240000L + (System.nanoTime() % 1000) * 10);

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    protected int port;

    @Autowired
    protected SandboxNumbers numbers;

    @Autowired
    protected ControlToken controlToken;

    protected WebhookReceiver receiver;
    protected BusinessNumber number;
    protected String token;
    protected String appSecret;

    public record Reply(int status, byte[] raw, JsonNode json, HttpResponse<byte[]> response) {
        public String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    void connectNumber() throws IOException {
        appSecret = "secret-" + UUID.randomUUID();
        receiver = new WebhookReceiver("verify-me", appSecret);
        useNewNumber();
    }

    /** Registers another business number on the class's receiver, with a token of its own, and makes it the one the helpers use. */
    protected void useNewNumber() {
        token = "EAAtest" + UUID.randomUUID().toString().replace("-", "");
        number = numbers.register(Long.toString(NUMBERS.incrementAndGet()), Long.toString(NUMBERS.incrementAndGet() + 900000000L),
                "15550783881", token, appSecret, receiver.url(), "verify-me", numberMessagesPerSecond());
        assertThat(numbers.awaitWebhookVerified(number.phoneNumberId(), WAIT)).isTrue();
    }

    protected int numberMessagesPerSecond() {
        return 80;
    }

    @AfterAll
    void closeReceiver() {
        receiver.close();
    }

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    protected Reply graphPost(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/v25.0" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    protected Reply graphGet(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + "/v25.0" + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    protected Reply graphDelete(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/v25.0" + path)).DELETE()
                .header("Authorization", "Bearer " + token).build());
    }

    protected Reply send(String text) {
        return graphPost("/" + number.phoneNumberId() + "/messages", token, text);
    }

    /** A script calling the control API with the control token. */
    protected Reply control(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/api" + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + controlToken.value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The customer sends a message through the control API; returns the message as the webhook carries it. */
    protected JsonNode customerSends(String waId, String message) {
        ObjectNode body = (ObjectNode) JSON.readTree(message);
        body.put("phoneNumberId", number.phoneNumberId());
        Reply reply = control("POST", "/customers/" + waId + "/messages", body.toString());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json();
    }

    protected Reply uploadMedia(String phoneNumberId, String token, String mimeType, String filename, byte[] bytes) {
        String boundary = "----sandbox" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n");
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n" + mimeType + "\r\n");
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + mimeType + "\r\n\r\n");
        body.writeBytes(bytes);
        write(body, "\r\n--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(URI.create(base() + "/v25.0/" + phoneNumberId + "/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    protected Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && response.body().length > 0) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), response.body(), json, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fixture copied byte-exact from Meta's examples (see src/test/resources/meta/README.md). */
    protected static String fixture(String path) {
        try (InputStream in = SandboxTest.class.getResourceAsStream("/meta/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] fixtureBytes(String path) {
        try (InputStream in = SandboxTest.class.getResourceAsStream("/meta/" + path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Field names of an object, recursively, so a response can be compared with Meta's example shape. */
    protected static java.util.Set<String> shape(JsonNode node, String prefix) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (node.isObject()) {
            for (var entry : node.properties()) {
                String path = prefix + entry.getKey();
                out.add(path);
                out.addAll(shape(entry.getValue(), path + "."));
            }
        } else if (node.isArray() && !node.isEmpty()) {
            out.addAll(shape(node.get(0), prefix + "[]."));
        }
        return out;
    }
}
