package hexa.automation.rules;

import hexa.contacts.ContactAutomation;
import hexa.contacts.ContactService;
import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.hours.BusinessHours;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.OutboundQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Reads the {@link Facts} of a situation through the other modules' published services. */
@Component
class FactsSource {

    static final Duration WINDOW = Duration.ofHours(24);

    private final ConversationAutomation conversations;
    private final ContactService contacts;
    private final ContactAutomation contactChanges;
    private final OutboundQueue outbound;
    private final MessageHistory messages;
    private final ObjectProvider<BusinessHours> hours;
    private final Clock clock;

    FactsSource(ConversationAutomation conversations, ContactService contacts, ContactAutomation contactChanges, OutboundQueue outbound,
                MessageHistory messages, ObjectProvider<BusinessHours> hours, Clock clock) {
        this.conversations = conversations;
        this.contacts = contacts;
        this.contactChanges = contactChanges;
        this.outbound = outbound;
        this.messages = messages;
        this.hours = hours;
        this.clock = clock;
    }

    Facts of(UUID tenant, Situation situation) {
        Instant now = clock.instant();
        Facts[] self = new Facts[1];
        Facts facts = new Facts(tenant, situation, now,
                () -> situation.conversationId() != null ? conversations.find(situation.conversationId())
                        : situation.contactId() != null ? conversations.latestOf(situation.contactId()) : Optional.empty(),
                () -> Optional.ofNullable(self[0].contactId()).flatMap(contacts::byId),
                () -> self[0].contactId() == null ? List.of() : contactChanges.tagsOf(self[0].contactId()),
                () -> {
                    UUID contact = self[0].contactId();
                    UUID connection = self[0].connectionId();
                    if (contact == null || connection == null) {
                        return false;
                    }
                    Optional<Instant> last = outbound.lastInboundAt(contact, connection);
                    return last.isPresent() && last.get().plus(WINDOW).isAfter(now);
                },
                () -> {
                    BusinessHours business = hours.getIfAvailable();
                    // Without business hours kept anywhere, the business is open.
                    return business == null || business.openAt(tenant, self[0].conversation().map(Conversation::teamId).orElse(null), now);
                },
                () -> situation.message() != null && self[0].contactId() != null
                        && messages.firstInbound(self[0].contactId(), situation.message().id()));
        self[0] = facts;
        return facts;
    }
}
