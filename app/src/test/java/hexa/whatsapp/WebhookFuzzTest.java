package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's own examples, mutated at random (fields removed, values of the wrong type, enums nobody knows, huge strings,
 * deep nesting) and posted signed, mixed with valid messages: the server never answers 5xx, every valid message is
 * stored exactly once, and every event is done (what could not be applied parked, nothing left retrying).
 */
class WebhookFuzzTest extends HexaIntegrationTest {

    private static final int POSTS = 2_000;
    private static final String[] EXAMPLES = {
            "inbound-text.json", "inbound-image.json", "inbound-audio-voice.json", "inbound-document.json", "inbound-location.json",
            "inbound-contacts.json", "inbound-reaction.json", "inbound-interactive-button-reply.json", "inbound-interactive-list-reply.json",
            "inbound-button-template-quick-reply.json", "inbound-order.json", "inbound-unsupported.json", "inbound-text-reply-context.json",
            "inbound-button-bsuid-from-user-id.json", "inbound-text-bsuid-contact-user-id.json", "status-delivered.json",
            "batch-multiple-messages-and-statuses.json", "message-template-status-update-approved.json"};

    @Autowired
    JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void mutated_payloads_never_cost_a_valid_message_and_never_stay_stuck() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Fuzz Co");
        ConnectionService.View number = shop.number();
        String secret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", number.id()).query(String.class).single());
        List<JsonNode> examples = new ArrayList<>();
        for (String name : EXAMPLES) {
            examples.add(example(name, number.phoneNumberId()));
        }
        Random random = new Random(20261207L);
        List<String> valid = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < POSTS; i++) {
            String body;
            if (i % 5 == 0) {
                String wamid = "wamid.valid-" + i;
                valid.add(wamid);
                ObjectNode message = (ObjectNode) examples.get(0).deepCopy();
                ObjectNode first = (ObjectNode) message.path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0);
                first.put("id", wamid);
                first.put("from", "9198" + String.format("%08d", i));
                ((ObjectNode) message.path("entry").path(0).path("changes").path(0).path("value").path("contacts").path(0))
                        .put("wa_id", "9198" + String.format("%08d", i));
                body = message.toString();
            } else {
                JsonNode mutated = examples.get(random.nextInt(examples.size())).deepCopy();
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    mutated = mutate(mutated, random);
                }
                body = mutated.toString().replace("\"wamid.", "\"wamid.fuzz-" + i + ".");
            }
            int status = post(number.callbackUrl(), secret, body);
            statuses.merge(status, 1, Integer::sum);
        }
        assertThat(statuses.keySet()).as("answers given: %s", statuses).allMatch(status -> status < 500);

        // Events that fail are retried after 5 s and 10 s, then applied change by change: move the clock along meanwhile.
        Eventually.until(() -> {
            clock.advance(Duration.ofSeconds(11));
            return jdbc.sql("select count(*) from webhook_events where tenant_id = :t and processed_at is null").param("t", shop.id())
                    .query(Integer.class).single() == 0;
        }, "every event done", Duration.ofSeconds(180));

        Map<String, Integer> stored = new TreeMap<>();
        jdbc.sql("select wamid, count(*) as n from messages where tenant_id = :t and wamid like 'wamid.valid-%' group by wamid")
                .param("t", shop.id()).query((rs, n) -> stored.put(rs.getString("wamid"), rs.getInt("n"))).list();
        assertThat(stored.keySet()).as("every valid message stored").containsExactlyInAnyOrderElementsOf(valid);
        assertThat(stored.values()).as("and once").allMatch(count -> count == 1);
        assertThat(jdbc.sql("select count(*) from webhook_events where tenant_id = :t").param("t", shop.id()).query(Integer.class).single())
                .as("the mutated posts were taken (signed, JSON) and then handled").isGreaterThan(POSTS / 2);
    }

    /** One random change somewhere in the tree: a field removed, a value of another type, an unknown enum, huge, deep. */
    private JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object && !object.isEmpty()) {
            List<String> names = new ArrayList<>(object.propertyNames());
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(8)) {
                case 0 -> object.remove(name);
                case 1 -> object.put(name, random.nextLong());
                case 2 -> object.put(name, "zzz-unknown-" + random.nextInt(1000));
                case 3 -> object.putArray(name).add("x").add(1);
                case 4 -> object.putObject(name).put("unexpected", true);
                case 5 -> object.putNull(name);
                case 6 -> object.put(name, "y".repeat(20_000 + random.nextInt(80_000)));
                default -> object.set(name, deep(100 + random.nextInt(300)));
            }
        } else if (target instanceof ArrayNode array) {
            switch (random.nextInt(3)) {
                case 0 -> array.removeAll();
                case 1 -> array.add("not-an-object");
                default -> array.add(deep(50));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainer()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    private JsonNode deep(int depth) {
        JsonNode node = json.getNodeFactory().stringNode("bottom");
        for (int i = 0; i < depth; i++) {
            ArrayNode level = json.createArrayNode();
            level.add(node);
            node = level;
        }
        return node;
    }

    private JsonNode example(String name, String phoneNumberId) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("whatsapp/examples/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return json.readTree(text.replaceAll("\"phone_number_id\"\\s*:\\s*\"[^\"]*\"", "\"phone_number_id\": \"" + phoneNumberId + "\""));
        }
    }

    private int post(String url, String secret, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", WebhookSignature.of(bytes, secret)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
