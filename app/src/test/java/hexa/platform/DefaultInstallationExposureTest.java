package hexa.platform;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.FreshInstallationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What a plain {@code ./hexa run} shows strangers: no metrics on its main port (no HEXA_METRICS_TOKEN, no
 * HEXA_MANAGEMENT_PORT), and no security.txt until a contact is configured; health, yes.
 */
class DefaultInstallationExposureTest extends FreshInstallationTest {

    @Test
    void metrics_are_not_served_to_anyone_on_the_main_port_and_health_still_is() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String authorization : new String[] {null, "Bearer ", "Bearer " + METRICS_TOKEN}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> metrics = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).as(String.valueOf(authorization)).isEqualTo(404);
            assertThat(metrics.body()).doesNotContain("jvm_memory_used_bytes");
        }
        assertThat(http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/.well-known/security.txt")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }
}
