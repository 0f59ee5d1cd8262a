package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.SandboxCustomer;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Opening a conversation marks the customer's messages read by the team and sends Meta one read
 * receipt for the latest of them; opening it again sends nothing; failures are retried in the
 * background and never hold the agent up.
 */
class ReadReceiptsTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReadReceiptSender receiptSender;

    private hexa.identity.Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private ApiClient agent;
    private SandboxCustomer phone;
    private String customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Read Receipts Co");
        workspace = shop.workspace();
        number = shop.number();
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
        phone = shop.customer();
        customer = "9197654" + (10000 + new Random().nextInt(89999));
    }

    @Test
    void opening_a_conversation_tells_the_customer_once_that_their_messages_were_read() {
        phone.writes(customer, "Is the blue one in stock?");
        phone.writes(customer, "And in size M?");
        String conversation = conversationOf("And in size M?");
        long receiptsBefore = phone.stat("readReceipts");

        Response opened = agent.send("POST", "/api/v1/conversations/" + conversation + "/read", null);

        assertThat(opened.status()).isEqualTo(200);
        JsonNode first = ApiClient.json(opened);
        assertThat(first.get("newlyRead").asInt()).isEqualTo(2);
        assertThat(first.get("whatsappId").asString()).isEqualTo(wamidOf("And in size M?"));
        assertThat(first.get("receipt").asString()).isIn("pending", "sent");
        awaitReceipt(first.get("whatsappId").asString(), "SENT");
        assertThat(phone.stat("readReceipts")).isEqualTo(receiptsBefore + 1);
        for (JsonNode line : phone.chat(customer).get("lines")) {
            assertThat(line.get("status").asString()).as("the customer sees both messages read").isEqualTo("read");
        }
        assertThat(unread(conversation)).isZero();

        JsonNode again = ApiClient.json(agent.send("POST", "/api/v1/conversations/" + conversation + "/read", null));
        assertThat(again.get("newlyRead").asInt()).isZero();
        assertThat(again.get("whatsappId").isNull()).isTrue();
        assertThat(receipts(conversation)).isEqualTo(1);
        // What a sweep of the receipt sender would do, done now: everything due goes out, and nothing of ours is due.
        while (receiptSender.sendOne()) {
            // another test's receipt, due now
        }
        assertThat(phone.stat("readReceipts")).as("opening it again sends nothing").isEqualTo(receiptsBefore + 1);

        phone.writes(customer, "Hello?");
        JsonNode later = ApiClient.json(agent.send("POST", "/api/v1/conversations/" + conversation + "/read", null));
        assertThat(later.get("newlyRead").asInt()).isEqualTo(1);
        assertThat(later.get("whatsappId").asString()).isEqualTo(wamidOf("Hello?"));
        awaitReceipt(later.get("whatsappId").asString(), "SENT");
        assertThat(phone.stat("readReceipts")).isEqualTo(receiptsBefore + 2);
    }

    @Test
    void a_receipt_meta_cannot_take_now_is_retried_later_and_the_agent_does_not_wait() throws IOException {
        phone.writes(customer, "Are you open on Sunday?");
        String conversation = conversationOf("Are you open on Sunday?");
        String wamid = wamidOf("Are you open on Sunday?");
        String graphUrl = jdbc.sql("select graph_url from whatsapp_connections where id = :id").param("id", number.id())
                .query(String.class).single();
        // "Meta" takes the call and does not answer until the test hangs up on it.
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread taker = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is done with it
                }
            }, "silent-meta");
            taker.setDaemon(true);
            taker.start();
            setGraphUrl("http://127.0.0.1:" + silent.getLocalPort() + "/sandbox/graph");
            try {
                Response opened = agent.send("POST", "/api/v1/conversations/" + conversation + "/read", null);
                assertThat(opened.status()).isEqualTo(200);
                assertThat(ApiClient.json(opened).get("receipt").asString()).isEqualTo("pending");
                assertThat(unread(conversation)).as("the team has read it all the same").isZero();
                // The receipt's call reaches Meta and is still unanswered: the agent had the answer without waiting for it.
                Eventually.await(held::size, n -> n >= 1, "the receipt's call to reach Meta");
                assertThat(receipt(wamid)).containsEntry("state", "PENDING").containsEntry("last_error", null);
            } finally {
                for (Socket call : held) {
                    call.close(); // Meta hangs up without an answer
                }
            }
            Map<String, Object> failedOnce = Eventually.await(() -> receipt(wamid), r -> r.get("last_error") != null, "a failed attempt");
            assertThat(failedOnce).containsEntry("state", "PENDING");
        } finally {
            setGraphUrl(graphUrl);
            for (Socket call : held) {
                call.close(); // a retry that came meanwhile is not left waiting either
            }
        }
        Map<String, Object> sent = awaitReceipt(wamid, "SENT");
        assertThat((Integer) sent.get("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(sent.get("last_error")).isNull();
    }

    @Test
    void a_receipt_meta_refuses_is_given_up_with_metas_reason() {
        phone.writes(customer, "Hi there");
        String conversation = conversationOf("Hi there");
        // A message Meta never delivered to this number (say, from before a number was moved).
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                select tenant_id, gen_random_uuid(), conversation_id, contact_id, 'INBOUND', 'wamid.NOT-AT-META', 'text', 'Lost',
                       '{"type":"text","text":{"body":"Lost"}}'::jsonb, 'RECEIVED', now() + interval '1 second', now()
                  from messages where tenant_id = :t and body = 'Hi there'
                """).param("t", workspace.id()).update();

        Response opened = agent.send("POST", "/api/v1/conversations/" + conversation + "/read", null);

        assertThat(opened.status()).isEqualTo(200);
        assertThat(ApiClient.json(opened).get("whatsappId").asString()).isEqualTo("wamid.NOT-AT-META");
        Map<String, Object> failed = awaitReceipt("wamid.NOT-AT-META", "FAILED");
        assertThat((String) failed.get("last_error")).contains("wamid.NOT-AT-META");
        assertThat(failed.get("attempts")).as("not retried: it cannot work").isEqualTo(1);
    }

    @Test
    void another_workspaces_conversation_is_not_found_and_left_unread() {
        phone.writes(customer, "Private question");
        String conversation = conversationOf("Private question");
        var other = fixtures.workspace("Prying Co");

        assertThat(api(fixtures.apiToken(other, Role.ADMIN)).send("POST", "/api/v1/conversations/" + conversation + "/read", null).status())
                .isEqualTo(404);
        assertThat(agent.send("POST", "/api/v1/conversations/" + UUID.randomUUID() + "/read", null).status()).isEqualTo(404);
        assertThat(agent.send("POST", "/api/v1/conversations/not-an-id/read", null).status()).isEqualTo(404);
        assertThat(api(fixtures.apiToken(workspace, Role.ANALYST)).send("POST", "/api/v1/conversations/" + conversation + "/read", null)
                .status()).isEqualTo(403);

        assertThat(unread(conversation)).isEqualTo(1);
        assertThat(receipts(conversation)).isZero();
    }

    private String conversationOf(String body) {
        return jdbc.sql("select conversation_id::text from messages where tenant_id = :t and body = :b").param("t", workspace.id())
                .param("b", body).query(String.class).single();
    }

    private String wamidOf(String body) {
        return jdbc.sql("select wamid from messages where tenant_id = :t and body = :b").param("t", workspace.id()).param("b", body)
                .query(String.class).single();
    }

    private int unread(String conversation) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = cast(:c as uuid) and direction = 'INBOUND' and read_at is null")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single();
    }

    private int receipts(String conversation) {
        return jdbc.sql("select count(*) from whatsapp_read_receipts where tenant_id = :t and conversation_id = cast(:c as uuid)")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single();
    }

    private Map<String, Object> receipt(String wamid) {
        return jdbc.sql("select state, attempts, last_error from whatsapp_read_receipts where tenant_id = :t and wamid = :w")
                .param("t", workspace.id()).param("w", wamid).query().singleRow();
    }

    private Map<String, Object> awaitReceipt(String wamid, String state) {
        return Eventually.await(() -> receipt(wamid), r -> state.equals(r.get("state")), "the receipt to be " + state);
    }

    private void setGraphUrl(String url) {
        jdbc.sql("update whatsapp_connections set graph_url = :url where id = :id").param("url", url).param("id", number.id()).update();
    }

}
