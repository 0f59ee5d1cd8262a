package hexa.automation.rules.pages;

import hexa.platform.flows.FlowStarter;
import hexa.contacts.Contact;
import hexa.contacts.ContactFilter;
import hexa.contacts.ContactSearch;
import hexa.contacts.ConversationsOfContacts;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.inbox.InboxSettings;
import hexa.whatsapp.TemplateService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Gathers the editor's choices through the other modules' published services. */
@Component
class EditorChoicesSource {

    /** How many conversations the test panel offers at once. */
    static final int CONVERSATIONS = 10;

    private final MemberService members;
    private final InboxSettings inbox;
    private final FlowStarter flows;
    private final ContactSearch contacts;
    private final ConversationsOfContacts conversations;
    private final TemplateService templates;

    EditorChoicesSource(MemberService members, InboxSettings inbox, FlowStarter flows, ContactSearch contacts,
                        ConversationsOfContacts conversations, TemplateService templates) {
        this.members = members;
        this.inbox = inbox;
        this.flows = flows;
        this.contacts = contacts;
        this.conversations = conversations;
        this.templates = templates;
    }

    /** The choices, with the test panel's conversations: the most recently active ones, or those matching {@code search}. */
    EditorChoices choices(String search) {
        List<EditorChoices.Choice> people = members.members().stream().filter(Member::active)
                .map(m -> new EditorChoices.Choice(m.userId().toString(), m.name())).toList();
        List<EditorChoices.Choice> teams = inbox.teams().stream().map(t -> new EditorChoices.Choice(t.id().toString(), t.name())).toList();
        List<EditorChoices.Choice> published = flows.published().stream().map(f -> new EditorChoices.Choice(f.id().toString(), f.name())).toList();
        Map<String, EditorChoices.Choice> approved = new LinkedHashMap<>();
        templates.templates().stream().filter(t -> "APPROVED".equals(t.status()))
                .forEach(t -> approved.putIfAbsent(t.name(), new EditorChoices.Choice(t.name(), t.name())));
        List<EditorChoices.Choice> attributes = contacts.attributes().stream()
                .map(a -> new EditorChoices.Choice(a.key(), a.label())).toList();
        return new EditorChoices(people, teams, published, contacts.tagsInUse(), List.copyOf(approved.values()), attributes,
                conversations(search));
    }

    private List<EditorChoices.Choice> conversations(String search) {
        ContactFilter filter = search == null || search.isBlank() ? ContactFilter.EVERYONE
                : new ContactFilter(search.strip(), null, null, null, null, null, null, null, null, null, null, null);
        List<EditorChoices.Choice> found = new ArrayList<>();
        for (Contact contact : contacts.page(filter, ContactSearch.Sort.ACTIVITY, null, null, CONVERSATIONS).contacts()) {
            for (ConversationsOfContacts.Summary latest : conversations.visibleOf(contact.id(), null, null, 1)) {
                String number = contact.phoneE164() == null || contact.phoneE164().equals(contact.displayName()) ? "" : " · " + contact.phoneE164();
                found.add(new EditorChoices.Choice(latest.id().toString(), contact.displayName() + number));
            }
        }
        return found;
    }
}
