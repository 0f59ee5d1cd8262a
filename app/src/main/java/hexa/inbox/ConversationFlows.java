package hexa.inbox;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.ContactService;
import hexa.platform.access.Permission;
import hexa.platform.flows.FlowStarter;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A member starts a published chatbot flow for the customer of a conversation they may reply in. The flow's messages
 * are automatic ones, so they need the 24-hour window open: outside it nothing starts. A flow already going in the
 * conversation is not replaced (the customer may be in the middle of answering it): starting another is refused until
 * it ends or a member's reply stops it. A blocked contact gets nothing automatic. The conversation keeps a note of who
 * started which flow, and the audit trail an entry.
 */
@Service
class ConversationFlows {

    private final ConversationService conversations;
    private final ContactService contacts;
    private final NoteService notes;
    private final FlowStarter flows;
    private final AuditTrail audit;
    private final Clock clock;

    ConversationFlows(ConversationService conversations, ContactService contacts, NoteService notes, FlowStarter flows, AuditTrail audit,
                      Clock clock) {
        this.conversations = conversations;
        this.contacts = contacts;
        this.notes = notes;
        this.flows = flows;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the conversation's "Start a flow" menu offers: the published flows, and whether to link to where they are made. */
    InboxModels.FlowMenu menu() {
        return new InboxModels.FlowMenu(flows.published(), TenantContext.actor().can(Permission.MANAGE_AUTOMATION));
    }

    /** Starts the flow for the conversation's customer; answers its name. Another workspace's or an unpublished flow: not found. */
    @Transactional
    String start(UUID conversationId, UUID flowId) {
        Conversation conversation = conversations.get(conversationId);
        FlowStarter.FlowChoice flow = flows.published().stream().filter(f -> f.id().equals(flowId)).findFirst()
                .orElseThrow(NotFoundException::new);
        Actor actor = TenantContext.actor();
        if (!actor.isPerson()) {
            throw new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "person_only", "inbox.flow.person-only");
        }
        if (contacts.byId(conversation.contactId()).orElseThrow(NotFoundException::new).blocked()) {
            throw new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "contact_blocked", "inbox.flow.blocked");
        }
        if (!conversation.windowOpen(clock.instant())) {
            throw new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "outside_window", "inbox.flow.window-closed", flow.name());
        }
        if (conversation.status() == Conversation.Status.RESOLVED) {
            conversations.reopen(conversationId);
        }
        flows.start(new FlowStarter.Start(conversationId, conversation.contactId(), conversation.connectionId(), flow.id(), actor.name()))
                .orElseThrow(() -> UserError.conflict("inbox.flow.already-going", flow.name()));
        notes.addAutomatic(conversationId, Text.t("inbox.flow.started-note", flow.name(), actor.name()), actor.name());
        audit.record(AuditEntry.of("inbox.flow_started").target("conversation", conversationId, null)
                .details(Map.of("flowId", flow.id().toString(), "flow", flow.name())));
        return flow.name();
    }
}
