package hexa.automation.rules;

import hexa.contacts.Contact;
import hexa.contacts.ContactAutomation;
import hexa.contacts.ContactService;
import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.hours.BusinessHours;
import hexa.whatsapp.MessageDirection;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.OutboundQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
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
    private final BusinessHours hours;
    private final Clock clock;

    FactsSource(ConversationAutomation conversations, ContactService contacts, ContactAutomation contactChanges, OutboundQueue outbound,
                MessageHistory messages, BusinessHours hours, Clock clock) {
        this.conversations = conversations;
        this.contacts = contacts;
        this.contactChanges = contactChanges;
        this.outbound = outbound;
        this.messages = messages;
        this.hours = hours;
        this.clock = clock;
    }

    /** What {@link #prefetch} read for a whole event's situations at once; {@link #NONE}: nothing, each fact read on its own. */
    record Batch(Map<UUID, Conversation> conversations, Map<UUID, Contact> contacts, Map<UUID, List<String>> tags, Set<UUID> firsts) {

        static final Batch NONE = new Batch(Map.of(), Map.of(), null, null);
    }

    /**
     * Reads the conversations and contacts of an event's situations in one statement each, and their tags and whether
     * their messages are the contacts' first when the trigger's rules read those ({@code reads}): an event of ten
     * messages costs a few statements instead of a few per message.
     */
    Batch prefetch(List<Situation> situations, Set<Rule.ConditionField> reads) {
        Set<UUID> conversationIds = new HashSet<>();
        Set<UUID> contactIds = new HashSet<>();
        List<UUID> messageIds = new ArrayList<>();
        for (Situation s : situations) {
            if (s.conversationId() != null) {
                conversationIds.add(s.conversationId());
            }
            if (s.contactId() != null) {
                contactIds.add(s.contactId());
            }
            if (s.message() != null) {
                messageIds.add(s.message().id());
            }
        }
        Map<UUID, Conversation> found = conversations.findAll(conversationIds);
        found.values().forEach(c -> contactIds.add(c.contactId()));
        return new Batch(found, contacts.byIds(contactIds),
                reads.contains(Rule.ConditionField.TAG) ? contacts.tagsOf(contactIds) : null,
                reads.contains(Rule.ConditionField.FIRST_MESSAGE) ? messages.firstsInbound(messageIds) : null);
    }

    /** The customer's latest message in the conversation (among its last 20), as rules read it. */
    Optional<Situation.Written> latestInbound(UUID conversationId) {
        return messages.latestInConversation(conversationId, null, 20).stream().filter(m -> m.direction() == MessageDirection.INBOUND)
                .reduce((a, b) -> b)
                .map(m -> new Situation.Written(m.id(), m.type(), m.body(), m.body() == null || m.body().isBlank() ? List.of() : List.of(m.body()), false, false));
    }

    Facts of(UUID tenant, Situation situation) {
        return of(tenant, situation, Batch.NONE);
    }

    Facts of(UUID tenant, Situation situation, Batch batch) {
        Instant now = clock.instant();
        Facts[] self = new Facts[1];
        Facts facts = new Facts(tenant, situation, now,
                () -> situation.conversationId() != null && batch.conversations().containsKey(situation.conversationId())
                        ? Optional.of(batch.conversations().get(situation.conversationId()))
                        : situation.conversationId() != null ? conversations.find(situation.conversationId())
                        : situation.contactId() != null ? conversations.latestOf(situation.contactId()) : Optional.empty(),
                () -> {
                    UUID contact = self[0].contactId();
                    if (contact == null) {
                        return Optional.empty();
                    }
                    Contact known = batch.contacts().get(contact);
                    return known != null ? Optional.of(known) : contacts.byId(contact);
                },
                () -> {
                    UUID contact = self[0].contactId();
                    if (contact == null) {
                        return List.of();
                    }
                    return batch.tags() != null && batch.contacts().containsKey(contact) ? batch.tags().getOrDefault(contact, List.of())
                            : contactChanges.tagsOf(contact);
                },
                () -> {
                    UUID contact = self[0].contactId();
                    UUID connection = self[0].connectionId();
                    if (contact == null || connection == null) {
                        return false;
                    }
                    Optional<Instant> last = outbound.lastInboundAt(contact, connection);
                    return last.isPresent() && last.get().plus(WINDOW).isAfter(now);
                },
                () -> hours.openAt(tenant, self[0].conversation().map(Conversation::teamId).orElse(null), now),
                () -> situation.message() != null && self[0].contactId() != null
                        && (batch.firsts() != null ? batch.firsts().contains(situation.message().id())
                        : messages.firstInbound(self[0].contactId(), situation.message().id())),
                () -> situation.message() != null ? Optional.of(situation.message())
                        : Optional.ofNullable(self[0].conversationId()).flatMap(this::latestInbound));
        self[0] = facts;
        return facts;
    }
}
