package hexa.automation.flows;

import hexa.inbox.InboxSettings;
import hexa.inbox.Team;
import hexa.platform.DemoData;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: a published "Order status" flow entered by the word "order" — buttons "Track my order" and
 * "Talk to us"; tracking asks the order number and answers that it is on its way, talking hands over to the Support
 * team. Made through the flows' own services, so a newcomer writing "order" from the sandbox phone sees it work.
 */
@Component
class DemoFlow {

    static final String NAME = "Order status";

    private final Flows flows;
    private final InboxSettings inbox;

    DemoFlow(Flows flows, InboxSettings inbox) {
        this.flows = flows;
        this.inbox = inbox;
    }

    @Order(40)
    @EventListener
    void demo(DemoData demo) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), demo.ownerName()))) {
            if (flows.list().stream().anyMatch(s -> s.flow().name().equals(NAME))) {
                return;
            }
            Team support = inbox.teams().stream().filter(t -> t.name().equals("Support")).findFirst().orElseGet(() -> inbox.createTeam("Support"));
            Flow flow = flows.create(new Flows.Changes(NAME, List.of("order"), false, orderStatus(support.id().toString())));
            flows.publish(flow.id());
        }
    }

    static FlowDefinition orderStatus(String teamId) {
        return new FlowDefinition("welcome", List.of(
                new FlowDefinition.Step("welcome", "ask", new FlowDefinition.Message("buttons", "How can we help with your order?",
                        List.of(new FlowDefinition.Choice("track", "Track my order"), new FlowDefinition.Choice("talk", "Talk to us")),
                        null, null, null, null, null, List.of()), "choice", null, null, null, null, null, null, null, null, null),
                new FlowDefinition.Step("choice", "branch", null, null, null, null, List.of(
                        new FlowDefinition.Route("reply", "track", null, "order-number"),
                        new FlowDefinition.Route("reply", "talk", null, "to-team")), "to-team", null, null, null, null, null),
                new FlowDefinition.Step("order-number", "ask", FlowDefinition.Message.text("What is your order number?"), "on-its-way", null, null,
                        null, null, null, null, null, null, null),
                new FlowDefinition.Step("on-its-way", "send", FlowDefinition.Message.text("Order {order-number} is on its way."), "done", null, null,
                        null, null, null, null, null, null, null),
                new FlowDefinition.Step("done", "end", null, null, null, null, null, null, null, null, null, null, null),
                new FlowDefinition.Step("to-team", "handover", null, null, null, null, null, null, null, null, null, null, teamId)));
    }
}
