package hexa.platform.privacy;

import java.util.List;
import java.util.Objects;

/**
 * One table of a module, declared in its {@link PersonalData}: whose personal data it holds, in which columns, and how
 * that data is exported to the person, erased and expired. A table that holds nobody's personal data is declared too,
 * with the reason ({@link #none}), so that the map is complete and a reader sees the decision.
 *
 * @param table   the table's name
 * @param subject whose data it is
 * @param columns the columns holding it ("contact_id" counts: a row about a person is personal)
 * @param export  where it goes in a person's export ({@code contact.json}, {@code messages.json}, {@code media/} …),
 *                or why it is left out; empty for {@link Subject#NONE}
 * @param erasure what erasing the person does to it
 * @param expiry  which retention period removes it
 * @param note    a sentence for {@code docs/privacy.md}: what the table is, and anything a reader should know
 */
public record PersonalTable(String table, Subject subject, List<String> columns, String export, Erasure erasure, Expiry expiry, String note) {

    public PersonalTable {
        Objects.requireNonNull(table);
        Objects.requireNonNull(subject);
        columns = List.copyOf(columns);
        Objects.requireNonNull(export);
        Objects.requireNonNull(erasure);
        Objects.requireNonNull(expiry);
        Objects.requireNonNull(note);
        if (subject == Subject.NONE && (erasure != Erasure.NOT_PERSONAL || !columns.isEmpty())) {
            throw new IllegalArgumentException(table + ": a table without personal data has no personal columns and nothing to erase");
        }
    }

    /** Whose data a table holds. */
    public enum Subject {
        /** The business's customers: contacts and what they wrote, the person exports and erasure are about. */
        CUSTOMER,
        /** The workspace's members and their sessions, tokens and sign-ins. */
        MEMBER,
        /** The business's own settings and content (templates, canned responses, numbers): nobody's personal data. */
        NONE
    }

    /** What erasing a customer does to the table's rows about them. */
    public enum Erasure {
        /** The rows about the person are deleted (with their files). */
        DELETE,
        /** The rows stay for what they record (an action and who did it), without the person's details. */
        ANONYMIZE,
        /** Members' data: removed with the member or their account, not by a customer's erasure. */
        WITH_MEMBER,
        /** Nobody's personal data. */
        NOT_PERSONAL
    }

    /** Which retention rule removes the table's rows. */
    public enum Expiry {
        /** Messages and media: 90 days by default, set in Settings → Privacy. */
        MESSAGES,
        /** Access and audit logs, and problems kept for an Admin: 180 days. */
        LOGS,
        /** Contacts: kept, or deleted after N days without activity, set in Settings → Privacy. */
        CONTACTS,
        /** Raw webhook bodies: until processed plus 7 days (they hold message text). */
        WEBHOOK_BODIES,
        /** Goes with the row it belongs to (a contact's tags with the contact, a message's statuses with the message). */
        WITH_OWNER,
        /** A short life of its own, stated in the note (a session, a one-time code, an idempotency key). */
        OWN_TIMER,
        /** Kept while the business keeps it: its settings, or until the workspace is closed. */
        KEPT
    }

    public static PersonalTable customer(String table, List<String> columns, String export, Erasure erasure, Expiry expiry, String note) {
        return new PersonalTable(table, Subject.CUSTOMER, columns, export, erasure, expiry, note);
    }

    public static PersonalTable member(String table, List<String> columns, Expiry expiry, String note) {
        return new PersonalTable(table, Subject.MEMBER, columns, "not a customer's data: members see and change theirs on their profile", Erasure.WITH_MEMBER, expiry, note);
    }

    public static PersonalTable none(String table, Expiry expiry, String note) {
        return new PersonalTable(table, Subject.NONE, List.of(), "", Erasure.NOT_PERSONAL, expiry, note);
    }
}
