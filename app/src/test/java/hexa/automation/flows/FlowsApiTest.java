package hexa.automation.flows;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/automation/flows}: an Admin's token creates a flow, edits its draft (a draft with problems is refused
 * with each problem named, and nothing is saved), publishes it, sees the draft and the published definition, deletes
 * it. Another workspace's flow is not found; an Agent may not manage flows.
 */
class FlowsApiTest extends HexaIntegrationTest {

    private static final String TWO_STEPS = """
            {"start":"hi","steps":[
              {"id":"hi","type":"send","message":{"kind":"text","text":"Hello from the API"},"next":"bye"},
              {"id":"bye","type":"end"}]}
            """;

    @Test
    void an_admin_creates_edits_publishes_and_deletes_a_flow_and_another_workspace_sees_none_of_it() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Flows API " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));

        Response created = admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"Greeter\",\"keywords\":[\" Hi \",\"HELLO\"],\"draft\":" + TWO_STEPS + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode flow = ApiClient.json(created);
        String id = flow.get("id").asString();
        assertThat(flow.get("keywords").toString()).isEqualTo("[\"hi\",\"hello\"]");
        assertThat(flow.get("publishedVersion").isNull()).isTrue();
        assertThat(flow.at("/draft/steps/0/message/text").asString()).isEqualTo("Hello from the API");

        Response deadEnd = admin.send("PUT", "/api/v1/automation/flows/" + id, """
                {"draft":{"start":"hi","steps":[{"id":"hi","type":"send","message":{"kind":"text","text":"Hello"}},
                                                {"id":"lost","type":"end"},
                                                {"id":"ask","type":"branch","routes":[{"on":"reply","value":"x","next":"nowhere"}]}]}}
                """);
        assertThat(deadEnd.status()).as(deadEnd.text()).isEqualTo(400);
        JsonNode problems = ApiClient.json(deadEnd);
        assertThat(problems.get("code").asString()).isEqualTo("invalid_flow");
        assertThat(problems.get("problems").toString()).contains("Step hi is a dead end", "Step ask leads to nowhere", "Step lost is never reached",
                "Step ask: choose where \\\"otherwise\\\" leads");
        assertThat(ApiClient.json(admin.get("/api/v1/automation/flows/" + id)).at("/draft/steps/0/next").asString())
                .as("nothing of the refused draft was saved").isEqualTo("bye");

        Response published = admin.send("POST", "/api/v1/automation/flows/" + id + "/publish", "");
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        assertThat(ApiClient.json(published).get("version").asInt()).isEqualTo(1);
        Response renamed = admin.send("PUT", "/api/v1/automation/flows/" + id, "{\"name\":\"Greeter 2\"}");
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        JsonNode got = ApiClient.json(admin.get("/api/v1/automation/flows/" + id));
        assertThat(got.get("name").asString()).isEqualTo("Greeter 2");
        assertThat(got.get("publishedVersion").asInt()).isEqualTo(1);
        assertThat(got.at("/published/steps/0/id").asString()).isEqualTo("hi");
        assertThat(ApiClient.json(admin.get("/api/v1/automation/flows")).get("items").size()).isEqualTo(1);

        Fixtures.TestWorkspace other = fixtures.workspace("Other flows " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient stranger = api(fixtures.apiToken(other, Role.ADMIN));
        assertThat(stranger.get("/api/v1/automation/flows/" + id).status()).isEqualTo(404);
        assertThat(stranger.send("POST", "/api/v1/automation/flows/" + id + "/publish", "").status()).isEqualTo(404);
        assertThat(stranger.send("DELETE", "/api/v1/automation/flows/" + id, null).status()).isEqualTo(404);
        assertThat(ApiClient.json(stranger.get("/api/v1/automation/flows")).get("items").size()).isZero();
        assertThat(api(fixtures.apiToken(workspace, Role.AGENT)).get("/api/v1/automation/flows").status()).isEqualTo(403);

        assertThat(admin.send("DELETE", "/api/v1/automation/flows/" + id, null).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/automation/flows/" + id).status()).isEqualTo(404);
    }

    @Test
    void the_list_pages_by_name_with_a_cursor_and_a_limit() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Flows pages " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        for (String name : List.of("delta", "Alpha", "charlie", "Echo", "bravo")) {
            assertThat(admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        }

        JsonNode first = ApiClient.json(admin.get("/api/v1/automation/flows?limit=2"));
        assertThat(names(first)).containsExactly("Alpha", "bravo");
        String cursor = first.get("nextCursor").asString();
        JsonNode second = ApiClient.json(admin.get("/api/v1/automation/flows?limit=2&cursor=" + cursor));
        assertThat(names(second)).containsExactly("charlie", "delta");
        // A flow created meanwhile before the cursor shifts nothing: the next page goes on after "bravo".
        admin.send("POST", "/api/v1/automation/flows", "{\"name\":\"Able\"}");
        assertThat(names(ApiClient.json(admin.get("/api/v1/automation/flows?limit=2&cursor=" + cursor)))).containsExactly("charlie", "delta");
        JsonNode last = ApiClient.json(admin.get("/api/v1/automation/flows?limit=2&cursor=" + second.get("nextCursor").asString()));
        assertThat(names(last)).containsExactly("Echo");
        assertThat(last.get("nextCursor").isNull()).isTrue();
        JsonNode all = ApiClient.json(admin.get("/api/v1/automation/flows"));
        assertThat(names(all)).as("50 to a page unless asked").containsExactly("Able", "Alpha", "bravo", "charlie", "delta", "Echo");
        assertThat(all.get("nextCursor").isNull()).isTrue();

        Response badLimit = admin.get("/api/v1/automation/flows?limit=500");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(ApiClient.json(badLimit).get("message").asString()).isEqualTo("limit must be a number from 1 to 100.");
        Response badCursor = admin.get("/api/v1/automation/flows?cursor=nonsense");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(ApiClient.json(badCursor).get("code").asString()).isEqualTo("invalid_request");
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new java.util.ArrayList<>();
        page.get("items").forEach(flow -> names.add(flow.get("name").asString()));
        return names;
    }
}
