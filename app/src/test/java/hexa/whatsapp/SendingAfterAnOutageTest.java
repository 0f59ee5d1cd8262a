package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.crypto.TenantTokens;
import hexa.platform.crypto.Tokens;
import hexa.sandbox.access.ControlToken;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.TestDatabase;
import hexa.support.TestPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The issue's "never twice" promise, end to end with a real crash: the app runs as a process of its own (on a database
 * of its own in the tests' PostgreSQL, which outlives it as a real deployment's does), Meta is the sandbox of the test
 * server. The app is killed (kill -9) after Meta accepted a message and before it answered, stays down three real
 * minutes while the sandbox retries its status webhooks with Meta's doubling backoff, and comes back: every message is
 * accepted by Meta exactly once. This is the suite's one long test (about five minutes).
 */
class SendingAfterAnOutageTest extends HexaIntegrationTest {

    private static final Duration OUTAGE = Duration.ofMinutes(3);
    private static final String CUSTOMER = "919876500090";
    private static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Autowired
    SandboxNumbers meta;

    @Autowired
    ControlToken controlToken;

    @Test
    void a_kill_while_meta_answers_then_three_minutes_down_sends_every_message_exactly_once() throws Exception {
        long started = System.nanoTime();
        String databaseUrl = TestDatabase.newDatabaseUrl();
        int port = freePort();
        Path logs = Files.createDirectories(TestPaths.target().resolve("outage-test"));
        ApiClient control = sandboxControl();
        String switchesBefore = control.get("/sandbox/api/switches").text();
        App app = new App(port, databaseUrl, logs);
        try {
            app.start("first");
            JdbcClient appDatabase = JdbcClient.create(new DriverManagerDataSource(databaseUrl));
            UUID workspace = UUID.randomUUID();
            ApiClient api = new ApiClient(app.url(), seedWorkspace(appDatabase, workspace));

            // The business connects a number of its Meta app ("Meta" being the sandbox of the test server).
            String accessToken = "EAAG-outage-" + System.nanoTime();
            String appSecret = "outage-secret-" + System.nanoTime();
            BusinessNumber number = meta.register("", "", "", accessToken, appSecret, "", "");
            Response connected = api.send("POST", "/api/v1/whatsapp/connections", """
                    {"appId": "1234567890", "appSecret": "%s", "accessToken": "%s", "wabaId": "%s", "phoneNumberId": "%s"}
                    """.formatted(appSecret, accessToken, number.wabaId(), number.phoneNumberId()));
            assertThat(connected.status()).as(connected.text()).isEqualTo(201);
            meta.register(number.phoneNumberId(), number.wabaId(), number.displayPhoneNumber(), accessToken, appSecret,
                    ApiClient.json(connected).get("callbackUrl").asString(), ApiClient.json(connected).get("verifyToken").asString());
            assertThat(meta.awaitWebhookVerified(number.phoneNumberId(), Duration.ofSeconds(30))).isTrue();
            SandboxCustomer customer = new SandboxCustomer(baseUrl(), controlToken.value(), appDatabase, workspace, number.phoneNumberId());
            customer.writes(CUSTOMER, "Is my order on its way?");

            // Meta's side for this test: statuses a few seconds after acceptance (after the kill), undelivered webhooks
            // retried with Meta's doubling backoff for longer than the outage, and the answer to a send held back. From
            // 1.25 s, the retries of the first failure come 159 s and 319 s after it: one during the outage, the next a
            // good while after the restart (set explicitly: the sandbox's defaults are not this test's business).
            // The app's hold after the restart is about the outage as the message saw it (over 3 minutes), so Meta's
            // retry settles the message long before the hold would let it go again.
            switches(control, """
                    {"sentDelayMs": 3000, "deliveredDelayMs": 3500, "readDelayMs": 4000, "readRate": 1.0,
                     "retryInitialDelayMs": 1250, "retryMaxDelayMs": 3600000, "maxDeliveryAttempts": 40,
                     "answerHoldMs": 600000, "answerHoldPhoneNumberId": "%s"}
                    """.formatted(number.phoneNumberId()));
            List<String> texts = List.of("Yes, it left this morning.", "It arrives tomorrow.", "Here is the tracking link.");
            List<String> ids = new ArrayList<>();
            for (String text : texts) {
                Response queued = api.send("POST", "/api/v1/messages",
                        "{\"to\": \"" + CUSTOMER + "\", \"type\": \"text\", \"text\": {\"body\": \"" + text + "\"}}");
                assertThat(queued.status()).as(queued.text()).isEqualTo(202);
                ids.add(ApiClient.json(queued).get("id").asString());
            }

            // Meta accepts the first one and has not answered yet: the app dies.
            Eventually.until(() -> customer.stat("accepted") >= 1, "Meta to accept the first message");
            app.kill();
            switches(control, "{\"answerHoldMs\": 0, \"answerHoldPhoneNumberId\": null}");
            assertThat(customer.stat("accepted")).isEqualTo(1);
            assertThat(appDatabase.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND' and wamid is not null")
                    .param("t", workspace).query(Integer.class).single()).as("the app never heard Meta's answer").isZero();

            Thread.sleep(OUTAGE.toMillis());

            app.start("after the outage");
            // Found unanswered after its lease: held, and shown so, while Meta's retried statuses are on their way.
            String first = ids.get(0);
            Eventually.await(() -> status(api, first), s -> s.equals("uncertain") || s.matches("sent|delivered|read"),
                    "the interrupted message to be looked at again", Duration.ofMinutes(2));
            assertThat(status(api, first)).as("the interrupted message shows as waiting for WhatsApp to confirm").isEqualTo("uncertain");
            assertThat(appDatabase.sql("select uncertain_since is not null from messages where id = cast(:id as uuid)").param("id", first)
                    .query(Boolean.class).single()).isTrue();

            // Meta's retries reach the app again and settle it; the two that never left are sent now.
            for (String id : ids) {
                Eventually.await(() -> status(api, id), s -> s.equals("read"), "message " + id + " to be read", Duration.ofMinutes(5));
            }
            for (String text : texts) {
                assertThat(received(customer, text)).as("Meta accepted \"%s\" exactly once", text).isEqualTo(1);
            }
            assertThat(customer.stat("accepted")).isEqualTo(3);
            assertThat(appDatabase.sql("select count(distinct wamid) from messages where tenant_id = :t and direction = 'OUTBOUND'")
                    .param("t", workspace).query(Integer.class).single()).isEqualTo(3);
        } finally {
            app.kill();
            control.send("PATCH", "/sandbox/api/switches", switchesBefore);
            System.out.printf("SendingAfterAnOutageTest took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    private static String status(ApiClient api, String id) {
        Response message = api.get("/api/v1/messages/" + id);
        return message.status() == 200 ? ApiClient.json(message).get("status").asString() : "unreachable";
    }

    private static long received(SandboxCustomer customer, String body) {
        long count = 0;
        for (JsonNode line : customer.chat(CUSTOMER).get("lines")) {
            if ("business".equals(line.get("from").asString()) && body.equals(line.path("content").path("text").path("body").asString(null))) {
                count++;
            }
        }
        return count;
    }

    private static void switches(ApiClient control, String json) {
        Response changed = control.send("PATCH", "/sandbox/api/switches", json);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    }

    /** A workspace, its owner and an Admin API token, as the app's own first run would leave them; answers the token. */
    private static String seedWorkspace(JdbcClient db, UUID workspace) {
        UUID owner = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        db.sql("insert into workspaces (id, name, time_zone, default_country, created_at, updated_at) values (:id, 'Outage Co', 'UTC', 'IN', :now, :now)")
                .param("id", workspace).param("now", now).update();
        db.sql("""
                insert into users (id, email, name, password_hash, password_changed_at, created_at, updated_at)
                values (:id, :email, 'Owner', 'not-a-password', :now, :now, :now)
                """).param("id", owner).param("email", "owner-" + owner + "@test.example").param("now", now).update();
        db.sql("insert into memberships (tenant_id, user_id, role, created_at, updated_at) values (:t, :u, 'OWNER', :now, :now)")
                .param("t", workspace).param("u", owner).param("now", now).update();
        String secret = TenantTokens.issue("hexa_", workspace);
        db.sql("""
                insert into api_tokens (tenant_id, id, name, role, token_hash, hint, created_by, created_at)
                values (:t, :id, 'Outage test', 'ADMIN', :hash, :hint, :owner, :now)
                """).param("t", workspace).param("id", UUID.randomUUID()).param("hash", Tokens.sha256(secret))
                .param("hint", secret.substring(secret.length() - 4)).param("owner", owner).param("now", now).update();
        return secret;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The app as a process of its own, started as {@code ./hexa run} starts it, on the given database. */
    private final class App {

        private final int port;
        private final String databaseUrl;
        private final Path logs;
        private Process process;

        App(int port, String databaseUrl, Path logs) {
            this.port = port;
            this.databaseUrl = databaseUrl;
            this.logs = logs;
        }

        String url() {
            return "http://localhost:" + port;
        }

        void start(String name) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = logs.resolve("app-" + name.replace(' ', '-') + ".log");
            process = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "hexa.HexaApplication",
                    "--hexa.port=" + port,
                    "--hexa.database-url=" + databaseUrl,
                    "--hexa.data-dir=" + logs.resolve("data"),
                    "--hexa.master-key=" + MASTER_KEY,
                    "--hexa.whatsapp.graph-url=" + baseUrl() + "/sandbox/graph",
                    "--hexa.sandbox.enabled=false",
                    // Meta's answer is held far longer: the kill, not a timeout, ends the attempt.
                    "--hexa.whatsapp.read-timeout=10m",
                    "--spring.lifecycle.timeout-per-shutdown-phase=2s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Supplier<Boolean> up = () -> {
                try {
                    HttpResponse<Void> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    return health.statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            };
            Eventually.until(() -> {
                assertThat(process.isAlive()).as("the app (%s) is running; see %s", name, log).isTrue();
                return up.get();
            }, "the app to start (" + name + ")", Duration.ofMinutes(3));
        }

        /** kill -9: no shutdown hook, no graceful end. */
        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
