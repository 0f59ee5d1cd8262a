package hexa.inbox;

import hexa.contacts.Contact;
import hexa.identity.Member;
import hexa.whatsapp.Template;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the inbox templates receive. */
public final class InboxModels {

    private InboxModels() {
    }

    static String when(Instant at, Instant now, ZoneId zone) {
        if (at == null) {
            return "";
        }
        java.time.ZonedDateTime local = at.atZone(zone);
        if (local.toLocalDate().equals(now.atZone(zone).toLocalDate())) {
            return java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(local);
        }
        return java.time.format.DateTimeFormatter.ofPattern("d MMM", java.util.Locale.ENGLISH).format(local);
    }

    /** A number with its assignment rule, for Settings → Inbox. */
    public record NumberRule(hexa.whatsapp.ConnectionService.View number, InboxSettings.Mode mode, UUID teamId) {
    }

    /** The left column: views with their unread counts, filters, and a page of conversations. */
    public record ListModel(ConversationFilter filter, List<ConversationFilter.View> views, Map<ConversationFilter.View, Integer> unread,
                            List<ListItem> items, String nextCursor, boolean paged, Map<UUID, String> numbers, List<Team> teams,
                            List<Member> members, List<String> tags, Instant now, UUID me, ZoneId zone, boolean fragment, boolean available, int notifications) {

        /** Today's times as 14:05, earlier ones as 3 Nov. */
        public String when(Instant at) {
            return InboxModels.when(at, now, zone);
        }

        public String link(ConversationFilter.View view) {
            return "/inbox?" + filter.withView(view).query();
        }

        public String open(ListItem item) {
            return "/inbox/conversations/" + item.conversation().id() + "?" + filter.query();
        }

        public boolean filtered() {
            return filter.connectionId() != null || filter.teamId() != null || filter.assigneeId() != null || filter.tag() != null;
        }
    }

    /** The conversation's "Start a flow" menu: the workspace's published flows; whether the member may go and make one. */
    public record FlowMenu(List<hexa.platform.flows.FlowStarter.FlowChoice> flows, boolean mayManage) {
    }

    /** The open conversation: header and actions, thread, composer, and the contact beside it. */
    public record OpenModel(Conversation conversation, Contact contact, String number, ThreadView.Thread thread, String assigneeName,
                            String teamName, List<Member> members, List<Team> teams, List<Template> templates, String back, Instant now,
                            List<Conversation> previous, ZoneId zone, List<CannedResponse> canned, UUID focus,
                            hexa.contacts.ConsentPanel consentPanel, List<String> contactTags,
                            List<hexa.contacts.ContactNote> contactNotes, hexa.contacts.ContactSources.Referral contactSource,
                            FlowMenu flowMenu) {

        /** The contact's notes the side panel shows: the newest few; the contact page has them all. */
        public static final int NOTES_SHOWN = 3;

        public boolean windowOpen() {
            return conversation.windowOpen(now);
        }

        public String when(Instant at) {
            return at == null ? "" : java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(at.atZone(zone));
        }

        public String dateTime(Instant at) {
            return at == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(at.atZone(zone));
        }

        public String base() {
            return "/inbox/conversations/" + conversation.id();
        }
    }
}
