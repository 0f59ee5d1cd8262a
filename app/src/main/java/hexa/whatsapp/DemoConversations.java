package hexa.whatsapp;

import hexa.platform.DemoData;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.customers.Chats;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./hexa run --demo}: three customers write to the demo number from the sandbox's phone, the way Meta
 * would deliver them (signed webhooks), so the inbox has conversations in the first minute, and one of them
 * writes STOP: the consent keywords' listener opts them out and answers. Only once: not when the demo number
 * already has messages here, or chats on the sandbox's side.
 */
@Component
class DemoConversations {

    /** Who writes, as whom, and what. */
    private record Line(String waId, String profileName, String text) {
    }

    static final List<Line> LINES = List.of(
            new Line("919812300001", "Asha Verma", "Hi! Is the blue cotton kurta available in size M?"),
            new Line("919812300002", "Ravi Menon", "Do you deliver to Pune? How long does it take?"),
            new Line("919812300003", "Meera Iyer", "Please don't send me offers any more."),
            new Line("919812300003", "Meera Iyer", "STOP"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectProvider<SandboxNumbers> numbers;
    private final ObjectProvider<CustomerMessages> customers;
    private final ObjectProvider<Chats> chats;
    private final ConnectionService connections;
    private final JdbcClient jdbc;

    DemoConversations(ObjectProvider<SandboxNumbers> numbers, ObjectProvider<CustomerMessages> customers, ObjectProvider<Chats> chats,
                      ConnectionService connections, JdbcClient jdbc) {
        this.numbers = numbers;
        this.customers = customers;
        this.chats = chats;
        this.connections = connections;
        this.jdbc = jdbc;
    }

    /** After the demo number is connected ({@code SandboxNumbersAtStartup}). */
    @Order(20)
    @EventListener
    void demo(DemoData demo) {
        if (numbers.getIfAvailable() == null || customers.getIfAvailable() == null) {
            return;
        }
        boolean hasMessages = jdbc.sql("select exists (select 1 from messages where tenant_id = :t)")
                .param("t", demo.workspaceId()).query(Boolean.class).single();
        if (hasMessages) {
            return;
        }
        Optional<BusinessNumber> number;
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(demo.workspaceId(), "Demo"))) {
            number = connections.connections().stream().filter(c -> c.kind() == Connection.Kind.SANDBOX).findFirst()
                    .flatMap(view -> numbers.getObject().find(view.phoneNumberId()));
        }
        if (number.isEmpty() || !chats.getObject().ofNumber(number.get().phoneNumberId()).isEmpty()) {
            return;
        }
        for (Line line : LINES) {
            ObjectNode message = JSON.createObjectNode().put("type", "text");
            message.putObject("text").put("body", line.text());
            customers.getObject().send(number.get(), line.waId(), line.profileName(), null, message);
        }
    }
}
