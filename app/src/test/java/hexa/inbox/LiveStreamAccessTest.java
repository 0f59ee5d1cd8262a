package hexa.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.WebClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A live inbox stream is allowed when it opens and keeps checking while it stays open: a member deactivated
 * meanwhile stops hearing of the workspace's conversations within seconds, their stream ended.
 */
class LiveStreamAccessTest extends HexaIntegrationTest {

    @Test
    void the_stream_of_a_member_deactivated_while_it_is_open_ends() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Live Co");
        Fixtures.Person agent = fixtures.member(shop.workspace(), Role.AGENT);
        WebClient browser = browser();
        browser.signIn(agent.email(), Fixtures.PASSWORD);

        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/inbox/live"))
                .header("Cookie", "HEXA_SESSION=" + browser.sessionId()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the stream was cut: ended as well
            }
            ended.set(true);
        }, "live-stream-reader");
        reader.setDaemon(true);
        reader.start();

        shop.customer().writes("919800000601", "Anyone there?");
        Eventually.until(() -> lines.stream().anyMatch(l -> l.equals("event:conversations")), "the agent to hear of the new conversation",
                Duration.ofSeconds(10));
        assertThat(ended).isFalse();

        WebClient owner = browser();
        owner.signIn(shop.workspace().owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/members/" + agent.id() + "/deactivate", Map.of());

        Eventually.until(ended::get, "the deactivated member's stream to end", Duration.ofSeconds(15));
    }
}
