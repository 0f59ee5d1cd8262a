package hexa.automation.rules;

import hexa.contacts.Contact;
import hexa.inbox.Conversation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What rules know about one situation, each part read once and only when a condition or action asks for it: the
 * conversation, the contact and their tags, whether the 24-hour window and the business are open, whether the
 * message is the contact's first.
 */
final class Facts {

    final UUID tenant;
    final Situation situation;
    final Instant now;
    private final Lazy<Optional<Conversation>> conversation;
    private final Lazy<Optional<Contact>> contact;
    private final Lazy<List<String>> tags;
    private final Lazy<Boolean> windowOpen;
    private final Lazy<Boolean> businessOpen;
    private final Lazy<Boolean> firstMessage;
    private final Lazy<Optional<Situation.Written>> customerMessage;
    private List<String> texts;
    private List<String> lowerTexts;

    Facts(UUID tenant, Situation situation, Instant now, Supplier<Optional<Conversation>> conversation, Supplier<Optional<Contact>> contact,
          Supplier<List<String>> tags, Supplier<Boolean> windowOpen, Supplier<Boolean> businessOpen, Supplier<Boolean> firstMessage,
          Supplier<Optional<Situation.Written>> customerMessage) {
        this.tenant = tenant;
        this.situation = situation;
        this.now = now;
        this.conversation = new Lazy<>(conversation);
        this.contact = new Lazy<>(contact);
        this.tags = new Lazy<>(tags);
        this.windowOpen = new Lazy<>(windowOpen);
        this.businessOpen = new Lazy<>(businessOpen);
        this.firstMessage = new Lazy<>(firstMessage);
        this.customerMessage = new Lazy<>(customerMessage);
    }

    Optional<Conversation> conversation() {
        return conversation.get();
    }

    Optional<Contact> contact() {
        return contact.get();
    }

    UUID contactId() {
        return situation.contactId() != null ? situation.contactId() : conversation().map(Conversation::contactId).orElse(null);
    }

    UUID conversationId() {
        return situation.conversationId() != null ? situation.conversationId() : conversation().map(Conversation::id).orElse(null);
    }

    UUID connectionId() {
        return situation.connectionId() != null ? situation.connectionId() : conversation().map(Conversation::connectionId).orElse(null);
    }

    UUID messageId() {
        return situation.message() == null ? null : situation.message().id();
    }

    /** The message's texts (its body, a caption, a tapped button's title...), read once. */
    List<String> texts() {
        if (texts == null) {
            List<String> found = new ArrayList<>();
            Situation.Written message = situation.message();
            if (message != null && message.texts() != null) {
                message.texts().stream().filter(Objects::nonNull).forEach(found::add);
            }
            if (found.isEmpty() && message != null && message.body() != null && !message.body().isBlank()) {
                found.add(message.body());
            }
            texts = List.copyOf(found);
        }
        return texts;
    }

    /** {@link #texts()} in lower case, for the comparisons that ignore case. */
    List<String> lowerTexts() {
        if (lowerTexts == null) {
            lowerTexts = texts().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        }
        return lowerTexts;
    }

    List<String> tags() {
        return tags.get();
    }

    boolean windowOpen() {
        return windowOpen.get();
    }

    boolean businessOpen() {
        return businessOpen.get();
    }

    boolean firstMessage() {
        return firstMessage.get();
    }

    /** The customer's message the situation is about: the event's own, or else the latest in the conversation. */
    Optional<Situation.Written> customerMessage() {
        return customerMessage.get();
    }

    boolean quiet() {
        return (situation.message() != null && situation.message().quiet()) || contact().map(Contact::blocked).orElse(false);
    }

    private static final class Lazy<T> {
        private final Supplier<T> source;
        private T value;
        private boolean read;

        Lazy(Supplier<T> source) {
            this.source = source;
        }

        T get() {
            if (!read) {
                value = source.get();
                read = true;
            }
            return value;
        }
    }
}
