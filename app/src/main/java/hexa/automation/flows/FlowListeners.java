package hexa.automation.flows;

import hexa.contacts.ContactsDeleted;
import hexa.contacts.ContactsMerged;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.timers.TimerHandler;
import hexa.platform.web.Text;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.OutboundMessageQueued;
import java.util.List;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * What moves runs from outside: customers' messages (answers and keywords, after they are stored, in a transaction of
 * their own), members' replies (they stop a run), the timers of waiting steps, and contacts deleted or merged.
 */
@Component
class FlowListeners implements TimerHandler {

    private final FlowRunner runner;
    private final FlowRuns runs;

    FlowListeners(FlowRunner runner, FlowRuns runs) {
        this.runner = runner;
        this.runs = runs;
    }

    @ApplicationModuleListener(id = "automation.flows")
    void on(InboundMessagesReceived received) {
        List<InboundMessagesReceived.Message> messages = received.messages().stream().filter(m -> !m.quiet()).toList();
        if (messages.isEmpty()) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(received.tenantId(), Text.t("automation.flows.system")))) {
            runner.received(messages);
        }
    }

    @ApplicationModuleListener(id = "automation.flows-stopped-by-agents")
    void on(OutboundMessageQueued queued) {
        if (!"USER".equals(queued.sentByKind()) || queued.conversationId() == null) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(queued.tenantId(), Text.t("automation.flows.system")))) {
            runner.agentReplied(queued.conversationId(), queued.messageId());
        }
    }

    @ApplicationModuleListener(id = "automation.flows-of-deleted-contacts")
    void on(ContactsDeleted deleted) {
        runs.deleteOfContacts(deleted.tenantId(), deleted.contactIds());
    }

    @ApplicationModuleListener(id = "automation.flows-of-merged-contacts")
    void on(ContactsMerged merged) {
        runs.moveContact(merged.tenantId(), merged.mergedId(), merged.keptId());
    }

    @Override
    public String kind() {
        return FlowRunner.TIMEOUT;
    }

    /** {@code key} is the run's id; {@code data} its workspace and the step that waits. */
    @Override
    public void fire(String key, String data) {
        String[] parts = data.split(" ", 2);
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(UUID.fromString(parts[0]), Text.t("automation.flows.system")))) {
            runner.timedOut(UUID.fromString(key), parts[1]);
        }
    }
}
