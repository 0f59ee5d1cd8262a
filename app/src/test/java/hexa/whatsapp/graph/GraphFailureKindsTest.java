package hexa.whatsapp.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Meta's error codes sorted by what a caller should do (CONTRACT.md section 6.2), and the settings. */
class GraphFailureKindsTest {

    @ParameterizedTest(name = "code {1} with HTTP {0} is {2}")
    @CsvSource({
            "401, 190,    AUTHENTICATION",
            "401, 0,      AUTHENTICATION",
            "403, 10,     PERMISSION",
            "403, 200,    PERMISSION",
            "403, 299,    PERMISSION",
            "400, 100,    BAD_REQUEST",
            "400, 131008, BAD_REQUEST",
            "400, 131009, BAD_REQUEST",
            "400, 130429, RATE_LIMITED",
            "400, 131056, RATE_LIMITED",
            "400, 80007,  RATE_LIMITED",
            "400, 4,      RATE_LIMITED",
            "400, 613,    RATE_LIMITED",
            "400, 131000, TRANSIENT",
            "400, 131016, TRANSIENT",
            "400, 1,      TRANSIENT",
            "400, 2,      TRANSIENT",
            "500, 131000, TRANSIENT",
            "400, 131026, PERMANENT",
            "400, 131047, PERMANENT",
            "400, 131053, PERMANENT",
            "400, 132000, PERMANENT",
            "400, 132001, PERMANENT",
            "400, 131050, PERMANENT",
            "400, 368,    PERMANENT"})
    void metas_codes_decide_the_kind(int httpStatus, int code, GraphFailure.Kind kind) {
        assertThat(GraphFailure.classify(httpStatus, code, false)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "HTTP {0} without a code is {1}")
    @CsvSource({"500, TRANSIENT", "502, TRANSIENT", "408, TRANSIENT", "429, RATE_LIMITED", "401, AUTHENTICATION",
            "403, PERMISSION", "404, BAD_REQUEST", "400, BAD_REQUEST"})
    void without_a_code_the_http_status_decides(int httpStatus, GraphFailure.Kind kind) {
        assertThat(GraphFailure.classify(httpStatus, null, false)).isEqualTo(kind);
    }

    @Test
    void only_rate_limits_and_passing_problems_are_retried() {
        assertThat(GraphFailure.Kind.values()).filteredOn(GraphFailure.Kind::isRetryable)
                .containsExactlyInAnyOrder(GraphFailure.Kind.RATE_LIMITED, GraphFailure.Kind.TRANSIENT);
    }

    @Test
    void environment_variables_choose_the_graph_api_and_its_timeouts() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                "HEXA_WHATSAPP_GRAPH_URL", "http://127.0.0.1:8090",
                "HEXA_WHATSAPP_API_VERSION", "v26.0",
                "HEXA_WHATSAPP_READ_TIMEOUT", "10s")));
        ConfigurationPropertySources.attach(environment);

        GraphSettings settings = Binder.get(environment).bind("hexa.whatsapp", GraphSettings.class).get();

        assertThat(settings.endpoint("t").baseUrl()).isEqualTo("http://127.0.0.1:8090");
        assertThat(settings.endpoint("t").apiVersion()).isEqualTo("v26.0");
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.connectTimeout()).as("default").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void an_endpoint_keeps_its_token_out_of_logs_and_refuses_a_malformed_version() {
        GraphEndpoint endpoint = new GraphEndpoint("http://localhost:8080/sandbox/graph/", "v25.0", "EAAsecret");

        assertThat(endpoint.baseUrl()).isEqualTo("http://localhost:8080/sandbox/graph");
        assertThat(endpoint.toString()).doesNotContain("EAAsecret");
        assertThatThrownBy(() -> new GraphEndpoint("https://graph.facebook.com", "25", "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GraphEndpoint("graph.facebook.com", "v25.0", "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
