package hexa.sandbox.customers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** All conversations, and an index from message id to its bubble for statuses, reactions and read receipts. */
@Component
public class Chats {

    public record Located(Chat chat, ChatLine line) {
    }

    // Customer has identity equality, so a customer who changes number keeps the conversation.
    private record ChatKey(String phoneNumberId, Customer customer) {
    }

    private final Map<ChatKey, Chat> byKey = new ConcurrentHashMap<>();
    private final Map<String, Located> byMessageId = new ConcurrentHashMap<>();

    public Chat of(String phoneNumberId, Customer customer) {
        return byKey.computeIfAbsent(new ChatKey(phoneNumberId, customer), k -> new Chat(phoneNumberId, customer));
    }

    /** Whether the customer has a chat with the number (even one without messages yet). */
    public boolean has(String phoneNumberId, Customer customer) {
        return byKey.containsKey(new ChatKey(phoneNumberId, customer));
    }

    public void add(Chat chat, ChatLine line) {
        add(chat, line, line.at());
    }

    /** Adds a bubble; a customer's opens the service window from {@code windowFrom} (see {@link Chat#add(ChatLine, Instant)}). */
    public void add(Chat chat, ChatLine line, java.time.Instant windowFrom) {
        chat.add(line, windowFrom);
        byMessageId.put(line.id(), new Located(chat, line));
    }

    public Optional<Located> message(String messageId) {
        return Optional.ofNullable(messageId == null ? null : byMessageId.get(messageId));
    }

    public List<Chat> ofNumber(String phoneNumberId) {
        List<Chat> out = new ArrayList<>();
        for (Chat chat : byKey.values()) {
            if (chat.phoneNumberId().equals(phoneNumberId)) {
                out.add(chat);
            }
        }
        return out;
    }
}
