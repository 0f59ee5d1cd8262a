package hexa.inbox;

import java.util.Locale;
import java.util.UUID;

/**
 * What the conversation list shows: a view (mine, unassigned, all), a status, optional filters,
 * and an order. Parsed leniently from request parameters: an unknown value means "no filter".
 */
public record ConversationFilter(View view, Conversation.Status status, UUID connectionId, UUID teamId, UUID assigneeId, String tag,
                                 Sort sort) {

    public enum View { MINE, UNASSIGNED, ALL }

    public enum Sort { RECENT, WAITING }

    public static ConversationFilter of(String view, String status, String number, String team, String assignee, String tag, String sort) {
        return new ConversationFilter(parse(View.class, view, View.MINE), parse(Conversation.Status.class, status, Conversation.Status.OPEN),
                uuid(number), uuid(team), uuid(assignee), tag == null || tag.isBlank() ? null : tag.strip().toLowerCase(Locale.ROOT),
                parse(Sort.class, sort, Sort.RECENT));
    }

    public ConversationFilter withView(View other) {
        return new ConversationFilter(other, status, connectionId, teamId, assigneeId, tag, sort);
    }

    /** The filter as query parameters, for links that keep it. */
    public String query() {
        StringBuilder q = new StringBuilder("view=").append(view.name().toLowerCase(Locale.ROOT))
                .append("&status=").append(status.name().toLowerCase(Locale.ROOT));
        if (connectionId != null) {
            q.append("&number=").append(connectionId);
        }
        if (teamId != null) {
            q.append("&team=").append(teamId);
        }
        if (assigneeId != null) {
            q.append("&assignee=").append(assigneeId);
        }
        if (tag != null) {
            q.append("&tag=").append(java.net.URLEncoder.encode(tag, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (sort != Sort.RECENT) {
            q.append("&sort=").append(sort.name().toLowerCase(Locale.ROOT));
        }
        return q.toString();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static UUID uuid(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
