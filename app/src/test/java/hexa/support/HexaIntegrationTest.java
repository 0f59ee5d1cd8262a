package hexa.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server on a random port, over real HTTP, against embedded PostgreSQL. Test classes that
 * extend this share one running server and one database, so each test makes its own workspaces. The WhatsApp sandbox
 * is switched on (it plays Meta for the tests); scripts drive it with its control token ({@link #sandboxControl()}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"hexa.sandbox.enabled=true", "hexa.metrics-token=" + HexaIntegrationTest.METRICS_TOKEN,
        "hexa.security-contact=security@test.example, https://test.example/report",
        // a test that moves the clock past a timer sees it fire within a fifth of a second
        "hexa.timers.polling-interval=200ms",
        // Meta answers at once in tests (the standalone sandbox and the demo take 150 ms); a test of concurrency sets a latency
        "hexa.sandbox.graph-latency=0ms"})
@Import({TestClockConfiguration.class, hexa.identity.Fixtures.class, RecordedEvents.class, TestTimers.class})
public abstract class HexaIntegrationTest {

    /** What a Prometheus scraper sends for {@code /actuator/prometheus} on the main port (HEXA_METRICS_TOKEN). */
    public static final String METRICS_TOKEN = "metrics-token-for-tests";

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected hexa.identity.Fixtures fixtures;

    @Autowired
    protected RecordedEvents events;

    @Autowired
    private org.springframework.jdbc.core.simple.JdbcClient testJdbc;

    @Autowired
    private org.springframework.beans.factory.ObjectProvider<hexa.sandbox.access.ControlToken> sandboxControlToken;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("hexa.database-url", TestDatabase::newDatabaseUrl);
        registry.add("hexa.data-dir", () -> TestPaths.target().resolve("test-data").toString());
        registry.add("hexa.master-key", () -> "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        // "Meta" is the sandbox inside the app under test: tests never reach graph.facebook.com.
        registry.add("hexa.whatsapp.graph-url", () -> "/sandbox/graph");
        // The outbound guard stays on: automations may call only the tests' own receiver, by its exact address and port.
        registry.add("hexa.outbound.allowed", WebhookReceiver::address);
        // When the test JVM ends, each server shuts down gracefully; a browser's live-update stream left open would hold
        // that for the product's 30 s (and Surefire kills a fork that takes 30 s to exit). Tests stop in 2 s at most.
        registry.add("spring.lifecycle.timeout-per-shutdown-phase", () -> "2s");
    }

    /**
     * Every test starts on the real time. A test that moved the clock and left it (an invitation a week old) would
     * otherwise move it for every later test, and the database's {@code now()} would no longer be the app's.
     */
    @BeforeEach
    void realTime() {
        clock.reset();
    }

    protected WebClient browser() {
        return new WebClient("http://localhost:" + port);
    }

    protected ApiClient api(String token) {
        return new ApiClient("http://localhost:" + port, token);
    }

    /**
     * The simulated customer writing to a number connected otherwise than by {@code fixtures.withSandboxNumber} (a Meta
     * app's number, a click in Settings).
     */
    protected SandboxCustomer customerOf(java.util.UUID workspaceId, String phoneNumberId) {
        return new SandboxCustomer(baseUrl(), sandboxControlToken.getObject().value(), testJdbc, workspaceId, phoneNumberId);
    }

    /** A script driving the sandbox's control API with its control token, as the demo's and the benchmarks' do. */
    protected ApiClient sandboxControl() {
        return new ApiClient(baseUrl(), sandboxControlToken.getObject().value());
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }
}
