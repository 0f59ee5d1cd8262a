package hexa.inbox;

import hexa.whatsapp.MessageDirection;
import hexa.whatsapp.MessageType;
import hexa.whatsapp.MessageHistory;
import hexa.whatsapp.MessageStatus;
import hexa.whatsapp.MessageView;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds what the conversation view draws: the latest messages (a page at a time going back), with
 * their reactions and the messages they quote, the private notes among them, and a separator
 * for each new day in the workspace's time zone.
 */
@Component
class ThreadView {

    public static final int PAGE = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.ENGLISH);

    private final MessageHistory messages;
    private final NoteService notes;
    private final TemplateService templates;

    ThreadView(MessageHistory messages, NoteService notes, TemplateService templates) {
        this.messages = messages;
        this.notes = notes;
        this.templates = templates;
    }

    /** The thread's entries, and the id to continue from when there are earlier messages (else null). */
    public record Thread(List<ThreadEntry> entries, UUID earlierBefore) {
    }

    /** {@code wabaId}: the business account of the conversation's number, whose templates its template messages came from. */
    public Thread of(UUID conversationId, UUID before, ZoneId zone, String wabaId) {
        List<MessageView> page = messages.latestInConversation(conversationId, before, PAGE + 1);
        boolean more = page.size() > PAGE;
        List<MessageView> shown = more ? page.subList(1, page.size()) : page;

        // The business's own reactions are messages of type reaction: shown on their target, not as lines.
        Map<String, List<String>> ownReactions = new HashMap<>();
        List<MessageView> lines = new ArrayList<>();
        Set<String> wamids = new HashSet<>();
        Set<String> quoted = new HashSet<>();
        for (MessageView m : shown) {
            if (m.type() == MessageType.REACTION && m.direction() != MessageDirection.INBOUND) {
                JsonNode reaction = JSON.readTree(m.content()).path("reaction");
                String target = reaction.path("message_id").asString("");
                String emoji = reaction.path("emoji").asString("");
                if (m.status() != MessageStatus.FAILED) {
                    ownReactions.put(target, emoji.isEmpty() ? List.of() : List.of(emoji));
                }
                continue;
            }
            lines.add(m);
            if (m.wamid() != null) {
                wamids.add(m.wamid());
            }
            if (m.replyToWamid() != null) {
                quoted.add(m.replyToWamid());
            }
        }
        Map<String, List<String>> reactions = messages.reactionsTo(wamids);
        Map<String, MessageView> quotes = messages.byWamids(quoted);
        // Template messages are drawn from the synced template: one lookup per template on the page.
        Map<String, Optional<Template>> known = new HashMap<>();

        Instant from = more && !shown.isEmpty() ? shown.get(0).sentAt() : null;
        List<Object[]> timeline = new ArrayList<>();
        for (MessageView m : lines) {
            List<String> all = new ArrayList<>(reactions.getOrDefault(m.wamid(), List.of()));
            all.addAll(ownReactions.getOrDefault(m.wamid(), List.of()));
            ThreadMessage.Quote quote = null;
            if (m.replyToWamid() != null) {
                MessageView q = quotes.get(m.replyToWamid());
                quote = q == null ? new ThreadMessage.Quote(false, null)
                        : new ThreadMessage.Quote(q.direction() == MessageDirection.INBOUND, brief(q));
            }
            String[] template = ThreadMessage.templateOf(m);
            Template sentFrom = template == null || wabaId == null ? null
                    : known.computeIfAbsent(template[0] + "\u0000" + template[1], k -> templates.find(wabaId, template[0], template[1])).orElse(null);
            timeline.add(new Object[] {m.sentAt(), ThreadEntry.message(ThreadMessage.of(m, all, quote, sentFrom))});
        }
        // Notes belong to the same stretch of time as the messages shown.
        Instant until = before == null ? null : messages.byId(before).map(MessageView::sentAt).orElse(null);
        for (Note note : notes.inConversation(conversationId)) {
            boolean afterStart = from == null || !note.createdAt().isBefore(from);
            boolean beforeEnd = until == null || note.createdAt().isBefore(until);
            if (afterStart && beforeEnd) {
                timeline.add(new Object[] {note.createdAt(), ThreadEntry.note(note)});
            }
        }
        timeline.sort(Comparator.comparing(e -> (Instant) e[0]));
        List<ThreadEntry> entries = new ArrayList<>();
        String lastDay = null;
        for (Object[] e : timeline) {
            String day = DAY.format(((Instant) e[0]).atZone(zone));
            if (!day.equals(lastDay)) {
                entries.add(ThreadEntry.day(day));
                lastDay = day;
            }
            entries.add((ThreadEntry) e[1]);
        }
        return new Thread(entries, more && !shown.isEmpty() ? shown.get(0).id() : null);
    }

    /**
     * Where a page must end so that it shows the given message with some of what followed: the id to
     * read "before" from, or null when the latest page already holds it.
     */
    public UUID pageEndingAfter(UUID conversationId, UUID messageId) {
        return messages.someAfter(conversationId, messageId, PAGE / 2);
    }

    private static String brief(MessageView m) {
        String body = m.body();
        if (body == null || body.isBlank()) {
            return "[" + m.type().json() + "]";
        }
        return body.length() > 140 ? body.substring(0, 140) + "…" : body;
    }
}
