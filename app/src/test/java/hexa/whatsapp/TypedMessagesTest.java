package hexa.whatsapp;

import hexa.identity.Fixtures;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import static hexa.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** What another module asks the channel to send, typed, reaches the customer's phone as Meta would carry it. */
class TypedMessagesTest extends HexaIntegrationTest {

    @Autowired
    SendService sending;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private SandboxCustomer customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Typed Co");
        workspace = withNumber.workspace();
        customer = withNumber.customer();
    }

    @Test
    void buttons_a_list_a_location_and_a_contact_card_are_sent_and_delivered() {
        UUID conversation = customer.writes("919800000501", "Where are you?");
        UUID contact = jdbc.sql("select contact_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id())
                .param("c", conversation).query(UUID.class).single();
        List<MessageToSend> messages = List.of(
                new MessageToSend.Buttons("Shall we deliver?", List.of(new MessageToSend.Choice("yes", "Yes"), new MessageToSend.Choice("no", "No"))),
                new MessageToSend.ChoiceList("Pick a branch", "Branches", List.of(new MessageToSend.Section("Pune",
                        List.of(new MessageToSend.Choice("kothrud", "Kothrud", "Open till 9"), new MessageToSend.Choice("baner", "Baner"))))),
                new MessageToSend.Location(18.5204, 73.8567, "Hexa Store", "FC Road, Pune"),
                new MessageToSend.Contacts(List.of(new MessageToSend.Card("Store manager", List.of("+91 98000 00599")))));
        List<UUID> ids;
        try (var ignored = fixtures.actAsOwner(workspace)) {
            ids = messages.stream().map(m -> sending.send(new Recipient(contact, null), m)).toList();
        }

        List<String> states = await(() -> jdbc.sql("select type || ':' || status from messages where tenant_id = :t and id = any(:ids) order by sent_at, type")
                        .param("t", workspace.id()).param("ids", ids.toArray(new UUID[0])).query(String.class).list(),
                list -> list.size() == 4 && list.stream().allMatch(s -> s.matches(".*:(DELIVERED|READ)")), "all four delivered");
        assertThat(states).extracting(s -> s.substring(0, s.indexOf(':'))).containsExactlyInAnyOrder("interactive", "interactive", "location", "contacts");
    }

    @Test
    void a_flow_form_opens_on_the_phone_and_its_answers_arrive_as_flow_answers() {
        UUID conversation = customer.writes("919800000502", "My order is late");
        UUID contact = jdbc.sql("select contact_id from conversations where tenant_id = :t and id = :c").param("t", workspace.id())
                .param("c", conversation).query(UUID.class).single();
        try (var ignored = fixtures.actAsOwner(workspace)) {
            sending.send(new Recipient(contact, null), MessageToSend.FlowForm.byName("Which order is it about?", "Check my order",
                    "order_status", "run-42"));
        }

        // The phone shows the message's button, which opens the Flow's form (the sandbox's own order_status Flow).
        tools.jackson.databind.JsonNode line = await(() -> flowLine(customer.chat("919800000502")), java.util.Objects::nonNull,
                "the flow message on the phone");
        assertThat(line.at("/content/interactive/action/parameters/flow_cta").asString()).isEqualTo("Check my order");
        assertThat(line.at("/rendered/fields/0/name").asString()).isEqualTo("order_number");
        String answer = customer.sendsMessage("919800000502", "{\"type\":\"interactive\",\"context\":{\"id\":\"" + line.get("id").asString()
                + "\"},\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"response_json\":"
                + "{\"flow_token\":\"run-42\",\"order_number\":\"A-1001\",\"topic\":\"where\"}}}}");

        InboundMessagesReceived.Message heard = await(() -> events.of(workspace.id(), InboundMessagesReceived.class).stream()
                .flatMap(e -> e.messages().stream()).filter(m -> answer.equals(m.wamid())).findFirst(),
                java.util.Optional::isPresent, "the answers to reach the app").orElseThrow();
        assertThat(heard.flowAnswers().name()).isEqualTo("flow");
        assertThat(heard.flowAnswers().flowToken()).isEqualTo("run-42");
        assertThat(heard.flowAnswers().answers()).containsExactly(java.util.Map.entry("order_number", "A-1001"), java.util.Map.entry("topic", "where"));
    }

    private static tools.jackson.databind.JsonNode flowLine(tools.jackson.databind.JsonNode chat) {
        for (tools.jackson.databind.JsonNode line : chat.path("lines")) {
            tools.jackson.databind.JsonNode type = line.at("/content/interactive/type");
            if (type.isString() && "flow".equals(type.asString())) {
                return line;
            }
        }
        return null;
    }
}
