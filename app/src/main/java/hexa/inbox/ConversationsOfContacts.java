package hexa.inbox;

/**
 * What the contacts feature may ask of the inbox's tables when it works on many contacts at once, in one SQL
 * statement: whether a contact ({@code contacts c}) has conversations. Reading it through the index
 * {@code conversations_by_contact} is one probe per contact.
 */
public final class ConversationsOfContacts {

    /** True for a contact {@code c} that has at least one conversation (open or not). */
    public static final String HAS_CONVERSATION =
            "exists (select 1 from conversations v where v.tenant_id = c.tenant_id and v.contact_id = c.id)";

    private ConversationsOfContacts() {
    }
}
