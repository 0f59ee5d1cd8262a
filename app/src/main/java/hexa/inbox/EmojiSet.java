package hexa.inbox;

import java.util.List;

/**
 * The composer's emoji picker: a small built-in set of the emoji people use most in customer
 * service, grouped, served with the page (nothing is downloaded from elsewhere).
 */
public final class EmojiSet {

    /** A group: its message key ({@code inbox.emoji.group.<key>}) and its emoji. */
    public record Group(String key, List<String> emoji) {
    }

    public static final List<Group> GROUPS = List.of(
            new Group("smileys", List.of("😀", "😃", "😄", "😁", "😊", "🙂", "😉", "😍", "🥰", "😘", "😂", "🤣", "😅", "😇", "🤔", "😌",
                    "😎", "🥳", "😮", "😢", "😭", "😔", "😟", "😡", "😴", "🤗", "🙄", "😬")),
            new Group("gestures", List.of("👍", "👎", "👌", "👏", "🙏", "🙌", "🤝", "👋", "✌️", "🤞", "💪", "👉", "👀", "🫶")),
            new Group("hearts", List.of("❤️", "🧡", "💛", "💚", "💙", "💜", "🖤", "🤍", "💕", "💯", "✨", "🔥", "⭐", "🎉")),
            new Group("business", List.of("📦", "🚚", "🛒", "🛍️", "💳", "💰", "🧾", "📄", "📅", "⏰", "📞", "📍", "🏠", "🏪", "🎁", "🔧")),
            new Group("symbols", List.of("✅", "❌", "⚠️", "❗", "❓", "ℹ️", "➡️", "⬅️", "🔄", "⏳", "🆗", "🆕", "🔔", "📢", "💬", "📝")));

    private EmojiSet() {
    }
}
