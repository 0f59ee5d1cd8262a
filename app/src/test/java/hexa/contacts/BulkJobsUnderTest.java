package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
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
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode now = ApiClient.json(api.get(started.header("Location")));
            String status = now.get("status").asString();
            if (status.equals("done") || status.equals("failed")) {
                return now;
            }
            assertThat(System.nanoTime()).as("bulk job ends; now " + now).isLessThan(deadline);
            sleep(50);
        }
    }

    /** The list page a confirmed action went back to, loaded until its job's card shows the job ended. */
    static String outcome(WebClient browser, String location) {
        assertThat(location).contains("bulk=");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String page = browser.get(location).text();
            if (page.contains("data-status=\"done\"") || page.contains("data-status=\"failed\"")) {
                return page;
            }
            assertThat(System.nanoTime()).as("bulk job on " + location + " ends").isLessThan(deadline);
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
