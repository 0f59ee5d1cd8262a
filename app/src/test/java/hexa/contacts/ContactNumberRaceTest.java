package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two people give two contacts the same number at the same moment: both checks for a duplicate pass, and the unique
 * index decides. The one who loses gets the same 409 naming the other contact as the check gives, not a 500. Here the
 * other "person" is a transaction that writes the number after the request's check and commits while the request's
 * write waits for it.
 */
class ContactNumberRaceTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void changing_a_contact_to_a_number_another_request_just_took_answers_409_with_that_contact() throws Exception {
        var workspace = fixtures.workspace("Number Race Co");
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));
        String mine = ApiClient.json(api.send("POST", "/api/v1/contacts", "{\"name\":\"Mine\",\"phone\":\"+919811100001\"}")).get("id").asString();

        UUID theirs = UUID.randomUUID();
        Response answer = whileAnotherTransactionTakes(workspace.id(), theirs, "+919811100002",
                () -> api.send("PATCH", "/api/v1/contacts/" + mine, "{\"phone\":\"098111 00002\",\"company\":\"Raced\"}"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(409);
        JsonNode error = ApiClient.json(answer);
        assertThat(error.get("code").asString()).isEqualTo("conflict");
        assertThat(error.get("existingContactId").asString()).isEqualTo(theirs.toString());
        assertThat(error.get("message").asString()).contains("+919811100002");
        JsonNode unchanged = ApiClient.json(api.get("/api/v1/contacts/" + mine));
        assertThat(unchanged.get("phone").asString()).as("nothing of the refused change is kept").isEqualTo("+919811100001");
        assertThat(unchanged.get("company").isNull()).isTrue();
        assertThat(jdbc.sql("select count(*) from contact_events where tenant_id = :t and contact_id = cast(:c as uuid)").param("t", workspace.id())
                .param("c", mine).query(Integer.class).single()).as("only its creation is on the timeline").isEqualTo(1);
    }

    @Test
    void creating_a_contact_with_a_number_another_request_just_took_answers_409_with_that_contact() throws Exception {
        var workspace = fixtures.workspace("Create Race Co");
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));

        UUID theirs = UUID.randomUUID();
        Response answer = whileAnotherTransactionTakes(workspace.id(), theirs, "+919811100003",
                () -> api.send("POST", "/api/v1/contacts", "{\"name\":\"Second\",\"phone\":\"+91 98111 00003\"}"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(409);
        assertThat(ApiClient.json(answer).get("existingContactId").asString()).isEqualTo(theirs.toString());
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single()).isEqualTo(1);
    }

    /**
     * Sends the request while another transaction holds a new contact with the number, uncommitted (so the request's
     * check does not see it); commits it once the request's write waits on the unique index, and answers the response.
     */
    private Response whileAnotherTransactionTakes(UUID tenant, UUID contact, String phone, Supplier<Response> request) throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement(
                    "insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at) values (?, ?, 'Theirs', ?, now(), now())")) {
                insert.setObject(1, tenant);
                insert.setObject(2, contact);
                insert.setString(3, phone);
                insert.executeUpdate();
            }
            CompletableFuture<Response> sent = CompletableFuture.supplyAsync(request);
            Eventually.until(() -> {
                assertThat(sent.isDone()).as("the request waits for the other transaction; it answered " + sent.getNow(null)).isFalse();
                return jdbc.sql("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                        .query(Integer.class).single() > 0;
            }, "the request to reach its write");
            other.commit();
            return sent.get(30, TimeUnit.SECONDS);
        }
    }
}
