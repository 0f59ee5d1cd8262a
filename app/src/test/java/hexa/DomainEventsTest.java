package hexa;

import hexa.contacts.ConsentChanged;
import hexa.contacts.ConsentService;
import hexa.contacts.ContactsChanged;
import hexa.contacts.ContactsCreated;
import hexa.contacts.ContactsDeleted;
import hexa.contacts.ContactsMerged;
import hexa.contacts.ContactsTagged;
import hexa.contacts.ContactsUntagged;
import hexa.identity.Fixtures;
import hexa.inbox.ConversationAssigned;
import hexa.inbox.ConversationOpened;
import hexa.inbox.ConversationReopened;
import hexa.inbox.ConversationResolved;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.MessageStatusChanged;
import hexa.whatsapp.MessageType;
import hexa.whatsapp.OutboundMessageFailed;
import hexa.whatsapp.OutboundMessageQueued;
import hexa.whatsapp.OutboundMessageSent;
import hexa.whatsapp.StatusUpdate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import static hexa.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the channel, the inbox and contacts tell the rest of the product (automation's triggers, outbound webhooks'
 * feed, reports' input): each event is published once for what happened, names its workspace, and says enough to
 * act on without reading another module's tables.
 */
class DomainEventsTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestWorkspace workspace;
    private SandboxCustomer customer;
    private ApiClient supervisor;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Events Co");
        workspace = withNumber.workspace();
        customer = withNumber.customer();
        supervisor = api(fixtures.apiToken(workspace, Role.SUPERVISOR));
    }

    @Test
    void a_customer_writing_an_agent_answering_and_the_conversation_resolved_and_reopened_are_each_told_once() {
        UUID conversation = customer.writes("919800000401", "Hello, is the shop open?");
        UUID contact = contactOf("919800000401");

        assertThat(events.of(workspace.id(), ContactsCreated.class)).singleElement()
                .satisfies(e -> assertThat(e.contactIds()).containsExactly(contact))
                .satisfies(e -> assertThat(e.source()).isEqualTo("whatsapp"));
        assertThat(events.of(workspace.id(), ConversationOpened.class)).singleElement()
                .satisfies(e -> assertThat(e.conversationId()).isEqualTo(conversation))
                .satisfies(e -> assertThat(e.contactId()).isEqualTo(contact));
        InboundMessagesReceived.Message received = events.of(workspace.id(), InboundMessagesReceived.class).get(0).messages().get(0);
        assertThat(received.conversationId()).isEqualTo(conversation);
        assertThat(received.contactId()).isEqualTo(contact);
        assertThat(received.type()).isEqualTo(MessageType.TEXT);
        assertThat(received.texts()).containsExactly("Hello, is the shop open?");
        assertThat(received.quiet()).isFalse();

        String sent = ApiClient.json(supervisor.send("POST", "/api/v1/messages",
                "{\"to\": \"919800000401\", \"type\": \"text\", \"text\": {\"body\": \"Yes, until 8 pm\"}}")).get("id").asString();
        UUID message = UUID.fromString(sent);
        assertThat(events.of(workspace.id(), OutboundMessageQueued.class)).singleElement()
                .satisfies(e -> assertThat(e.messageId()).isEqualTo(message))
                .satisfies(e -> assertThat(e.conversationId()).isEqualTo(conversation))
                .satisfies(e -> assertThat(e.type()).isEqualTo(MessageType.TEXT))
                .satisfies(e -> assertThat(e.sentByKind()).isEqualTo("API_TOKEN"));
        OutboundMessageSent accepted = await(() -> events.of(workspace.id(), OutboundMessageSent.class), l -> !l.isEmpty(), "Meta accepting it")
                .get(0);
        assertThat(accepted.messageId()).isEqualTo(message);
        List<MessageStatusChanged> statuses = await(() -> events.of(workspace.id(), MessageStatusChanged.class),
                l -> l.stream().anyMatch(s -> s.status() == StatusUpdate.Status.DELIVERED), "the delivery reported");
        assertThat(statuses).allSatisfy(s -> assertThat(s.messageId()).isEqualTo(message))
                .allSatisfy(s -> assertThat(s.wamid()).isEqualTo(accepted.wamid()));

        // A template Meta does not know is refused for good when the sender calls it: the queued message fails.
        String refused = ApiClient.json(supervisor.send("POST", "/api/v1/messages", "{\"to\": \"919800000401\", \"type\": \"template\","
                + " \"template\": {\"name\": \"no_such_template\", \"language\": {\"code\": \"en_US\"}}}")).get("id").asString();
        OutboundMessageFailed failed = await(() -> events.of(workspace.id(), OutboundMessageFailed.class), l -> !l.isEmpty(), "Meta refusing it")
                .get(0);
        assertThat(failed.messageId()).isEqualTo(UUID.fromString(refused));
        assertThat(failed.errorCode()).isEqualTo(132001);

        UUID agent = fixtures.member(workspace, Role.AGENT).id();
        supervisor.send("POST", "/api/v1/conversations/" + conversation + "/assign", "{\"assigneeId\": \"" + agent + "\"}");
        supervisor.send("POST", "/api/v1/conversations/" + conversation + "/assign", "{\"assigneeId\": \"" + agent + "\"}");
        assertThat(events.of(workspace.id(), ConversationAssigned.class)).as("assigned once: the second asked for no change")
                .singleElement().satisfies(e -> assertThat(e.assigneeId()).isEqualTo(agent)).satisfies(e -> assertThat(e.automatic()).isFalse());

        supervisor.send("POST", "/api/v1/conversations/" + conversation + "/status", "{\"status\":\"resolved\"}");
        assertThat(events.of(workspace.id(), ConversationResolved.class)).singleElement()
                .satisfies(e -> assertThat(e.conversationId()).isEqualTo(conversation));

        customer.writes("919800000401", "One more question");
        assertThat(events.of(workspace.id(), ConversationReopened.class)).as("the customer writing again brings it back")
                .singleElement().satisfies(e -> assertThat(e.conversationId()).isEqualTo(conversation));
        assertThat(events.of(workspace.id(), ConversationOpened.class)).hasSize(1);
        assertThat(events.of(workspace.id(), InboundMessagesReceived.class).stream().mapToInt(e -> e.messages().size()).sum()).isEqualTo(2);
        assertThat(events.of(workspace.id(), ContactsCreated.class)).hasSize(1);
    }

    @Test
    void contacts_created_changed_tagged_opted_out_merged_and_deleted_are_each_told_once() {
        UUID asha = createContact("{\"name\": \"Asha\", \"phone\": \"+91 98000 00402\", \"tags\": [\"lead\"]}");
        assertThat(events.of(workspace.id(), ContactsCreated.class)).singleElement()
                .satisfies(e -> assertThat(e.contactIds()).containsExactly(asha)).satisfies(e -> assertThat(e.source()).isEqualTo("api"));
        assertThat(events.of(workspace.id(), ContactsTagged.class)).singleElement().satisfies(e -> assertThat(e.tag()).isEqualTo("lead"));

        supervisor.send("PATCH", "/api/v1/contacts/" + asha, "{\"company\": \"Asha Textiles\", \"name\": \"Asha\"}");
        assertThat(events.of(workspace.id(), ContactsChanged.class)).as("only what changed")
                .singleElement().satisfies(e -> assertThat(e.fields()).isEqualTo(Set.of("company")));

        supervisor.send("PUT", "/api/v1/contacts/" + asha + "/tags/vip", null);
        supervisor.send("PUT", "/api/v1/contacts/" + asha + "/tags/vip", null);
        supervisor.send("DELETE", "/api/v1/contacts/" + asha + "/tags/lead", null);
        assertThat(events.of(workspace.id(), ContactsTagged.class)).extracting(ContactsTagged::tag).containsExactly("lead", "vip");
        assertThat(events.of(workspace.id(), ContactsUntagged.class)).singleElement().satisfies(e -> assertThat(e.tag()).isEqualTo("lead"));

        supervisor.send("POST", "/api/v1/contacts/" + asha + "/consent", "{\"status\": \"opted_out\"}");
        supervisor.send("POST", "/api/v1/contacts/" + asha + "/consent", "{\"status\": \"opted_out\"}");
        assertThat(events.of(workspace.id(), ConsentChanged.class)).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(ConsentService.Status.OPTED_OUT))
                .satisfies(e -> assertThat(e.source()).isEqualTo(ConsentService.Source.API));

        UUID twin = createContact("{\"name\": \"Asha (shop)\", \"email\": \"asha@example.com\", \"phone\": \"+91 98000 00403\"}");
        assertThat(supervisor.send("POST", "/api/v1/contacts/" + asha + "/merge", "{\"otherContactId\": \"" + twin + "\"}").status()).isEqualTo(200);
        assertThat(events.of(workspace.id(), ContactsMerged.class)).singleElement()
                .satisfies(e -> assertThat(e.keptId()).isEqualTo(asha)).satisfies(e -> assertThat(e.mergedId()).isEqualTo(twin));

        assertThat(supervisor.send("DELETE", "/api/v1/contacts/" + asha, null).status()).isEqualTo(200);
        assertThat(events.of(workspace.id(), ContactsDeleted.class)).singleElement()
                .satisfies(e -> assertThat(e.contactIds()).containsExactly(asha));
    }

    private UUID createContact(String json) {
        return UUID.fromString(ApiClient.json(supervisor.send("POST", "/api/v1/contacts", json)).get("id").asString());
    }

    private UUID contactOf(String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", workspace.id()).param("w", waId)
                .query(UUID.class).single();
    }
}
