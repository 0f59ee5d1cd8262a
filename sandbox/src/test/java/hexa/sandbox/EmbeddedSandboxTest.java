package hexa.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import hexa.sandbox.access.ControlToken;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inside a host application (as the CRM imports it), the Graph API lives under /sandbox/graph, the
 * simulator at /sandbox with external script and styles only, and the control API under /sandbox/api.
 */
@SpringBootTest(classes = EmbeddedSandboxTest.HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hexa.sandbox.graph-path=/sandbox/graph", "hexa.sandbox.graph-latency=0ms"})
class EmbeddedSandboxTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SandboxConfiguration.class)
    static class HostApplication {
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    SandboxNumbers numbers;

    @Autowired
    ControlToken controlToken;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theGraphApiIsServedUnderTheConfiguredPrefix() throws Exception {
        BusinessNumber number = numbers.register(null, null, null, "tok-" + UUID.randomUUID(), "s", "", "v");

        HttpResponse<String> prefixed = get("/sandbox/graph/v25.0/" + number.phoneNumberId(), number.accessToken());
        HttpResponse<String> atRoot = get("/v25.0/" + number.phoneNumberId(), number.accessToken());

        assertThat(prefixed.statusCode()).isEqualTo(200);
        assertThat(prefixed.body()).contains(number.phoneNumberId());
        assertThat(atRoot.statusCode()).isEqualTo(404);
    }

    @Test
    void theSimulatorPageUsesOnlyExternalScriptsAndStyles() throws Exception {
        HttpResponse<String> page = get("/sandbox", controlToken.value());
        HttpResponse<String> script = get("/sandbox/static/simulator.js", controlToken.value());
        HttpResponse<String> styles = get("/sandbox/static/simulator.css", controlToken.value());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("src=\"/sandbox/static/simulator.js\"").doesNotContain("<style").doesNotContain("style=\"")
                .doesNotContainPattern("<script(?![^>]*src=)").doesNotContain("onclick");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(styles.statusCode()).isEqualTo(200);
        assertThat(get("/sandbox/api/stats", controlToken.value()).statusCode()).isEqualTo(200);
    }

    @Test
    void aHostThatSignsNobodyInOpensItsSandboxToTheControlTokenOnly() throws Exception {
        for (String path : new String[] {"/sandbox", "/sandbox/static/simulator.js", "/sandbox/api/numbers", "/sandbox/api/stats"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "not-the-token").statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void theStandaloneLauncherTranslatesItsOptions() {
        String[] args = SandboxApplication.springArguments(new String[] {"--port", "9000", "--callback", "http://x/webhook",
            "--app-secret", "s", "--verify-token", "t", "--mps", "200", "--phone-number-id", "123", "--access-token", "EAA1",
            "--address", "0.0.0.0", "--control-token", "ct"});

        assertThat(args).containsExactly("--server.port=9000", "--hexa.sandbox.number.callback-url=http://x/webhook",
                "--hexa.sandbox.number.app-secret=s", "--hexa.sandbox.number.verify-token=t",
                "--hexa.sandbox.number.messages-per-second=200", "--hexa.sandbox.number.phone-number-id=123",
                "--hexa.sandbox.number.access-token=EAA1", "--server.address=0.0.0.0", "--hexa.sandbox.control-token=ct");
    }

    @Test
    void theStandaloneSandboxListensOnLoopbackUnlessToldOtherwise() {
        assertThat(SandboxApplication.defaults()).containsEntry("server.address", "127.0.0.1");
    }
}
