package hexa.contacts;

import static hexa.platform.web.Text.t;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the contact page's timeline in words: what happened, its details (old and new value,
 * a note's text), who did it, and where to go (a conversation in the inbox).
 */
public record TimelineLine(String kind, Instant at, String title, String detail, String actor, String link) {

    static TimelineLine of(ContactTimeline.Entry entry, Map<String, String> memberNames) {
        String title;
        String detail = null;
        String link = null;
        switch (entry.kind()) {
            case "conversation":
                title = t("contacts.core.timeline.conversation", t("contacts.core.conversation-status." + entry.text("status")), entry.text("messages"));
                link = "/inbox/conversations/" + entry.text("conversationId");
                break;
            case "note":
                title = t("contacts.core.timeline.note", entry.actorName() == null ? "" : entry.actorName());
                detail = entry.text("body");
                return new TimelineLine(entry.kind(), entry.at(), title, detail, null, null);
            case "consent":
                title = t("contacts.core.timeline.consent." + entry.text("status"), t("contacts.core.consent-source." + entry.text("source")));
                detail = entry.detail("detail") == null ? null : entry.text("detail");
                break;
            case ContactEvents.CREATED:
                title = t("contacts.core.timeline.created");
                break;
            case ContactEvents.FIELD_CHANGED: {
                String field = entry.text("field");
                title = t("contacts.core.timeline.field_changed", t("contacts.core.field." + field));
                detail = fromTo(shown(field, entry.detail("from"), memberNames), shown(field, entry.detail("to"), memberNames));
                break;
            }
            case ContactEvents.ATTRIBUTE_CHANGED:
                title = t("contacts.core.timeline.attribute_changed", entry.text("label"));
                detail = fromTo(AttributeDefinition.text(entry.detail("from")), AttributeDefinition.text(entry.detail("to")));
                break;
            case ContactEvents.TAG_ADDED:
            case ContactEvents.TAG_REMOVED:
                title = t("contacts.core.timeline." + entry.kind(), entry.text("tag"));
                break;
            case ContactEvents.MERGED:
                title = t("contacts.core.timeline.merged", entry.text("mergedName"), entry.text("conversations"), entry.text("notes"));
                break;
            default:
                // What other parts of the product record (blocking, say), in their words when they gave some.
                String key = "contacts.timeline." + entry.kind();
                String text = t(key);
                title = text.equals(key) ? t("contacts.core.timeline.other", entry.kind().replace('_', ' ')) : text;
        }
        return new TimelineLine(entry.kind(), entry.at(), title, detail, entry.actorName(), link);
    }

    private static String shown(String field, Object value, Map<String, String> memberNames) {
        if (value == null) {
            return "";
        }
        return ContactChanges.OWNER.equals(field) ? memberNames.getOrDefault(value.toString(), value.toString()) : value.toString();
    }

    private static String fromTo(String from, String to) {
        String empty = t("contacts.core.empty");
        return t("contacts.core.timeline.from-to", from.isEmpty() ? empty : from, to.isEmpty() ? empty : to);
    }
}
