package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.Response;
import hexa.support.WebClient;
import tools.jackson.databind.JsonNode;

/** Following bulk jobs as their clients do: the API's {@code Location} until the job ends, the list page until it shows the outcome. */
final class BulkJobsUnderTest {

    private BulkJobsUnderTest() {
    }

    /** A started job (202 with its {@code Location}), followed until it is done or failed. */
    static JsonNode finished(ApiClient api, Response started) {
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        JsonNode job = ApiClient.json(started);
        assertThat(started.header("Location")).isEqualTo("/api/v1/contacts/bulk/" + job.get("id").asString());
        return Eventually.await(() -> ApiClient.json(api.get(started.header("Location"))), now -> now.get("status").asString().matches("done|failed"),
                "the bulk job to end");
    }

    /** The list page a confirmed action went back to, loaded until its job's card shows the job ended. */
    static String outcome(WebClient browser, String location) {
        assertThat(location).contains("bulk=");
        return Eventually.await(() -> browser.get(location).text(), page -> page.contains("data-status=\"done\"") || page.contains("data-status=\"failed\""),
                "the bulk job on " + location + " to end");
    }
}
