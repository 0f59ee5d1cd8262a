package hexa.contacts;

import hexa.identity.MemberService;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notes about a contact. Anyone who may use contacts reads and writes them; only a note's author (the
 * member, or the API token, that wrote it) edits or deletes it. The caller has checked the contact.
 */
@Service
public class ContactNotes {

    public static final int MAX = 4000;

    private final JdbcClient jdbc;
    private final MemberService members;
    private final Clock clock;

    ContactNotes(JdbcClient jdbc, MemberService members, Clock clock) {
        this.jdbc = jdbc;
        this.members = members;
        this.clock = clock;
    }

    /** The contact's notes, newest first. */
    public List<ContactNote> of(UUID contactId) {
        return named(jdbc.sql(SELECT + " where tenant_id = :tenant and contact_id = :contact order by created_at desc, id desc")
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).query(ContactNotes::row).list());
    }

    /** One note of this contact, or "not found". */
    public ContactNote get(UUID contactId, UUID noteId) {
        return named(jdbc.sql(SELECT + " where tenant_id = :tenant and contact_id = :contact and id = :id")
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).param("id", noteId)
                .query(ContactNotes::row).optional().map(List::of).orElseThrow(NotFoundException::new)).get(0);
    }

    @Transactional
    public ContactNote add(UUID contactId, String body) {
        Actor actor = TenantContext.actor();
        String text = check(body);
        UUID id = Ids.newId();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into contact_notes (tenant_id, id, contact_id, author_id, author_token_id, author_name, body, created_at, updated_at)
                values (:tenant, :id, :contact, :author, :token, :name, :body, :now, :now)
                """)
                .param("tenant", actor.tenantId()).param("id", id).param("contact", contactId).param("author", actor.userId())
                .param("token", actor.tokenId()).param("name", actor.name()).param("body", text).param("now", Sql.ts(now))
                .update();
        return get(contactId, id);
    }

    @Transactional
    public ContactNote edit(UUID contactId, UUID noteId, String body) {
        ContactNote note = authored(contactId, noteId);
        jdbc.sql("update contact_notes set body = :body, updated_at = :now where tenant_id = :tenant and id = :id")
                .param("body", check(body)).param("now", Sql.ts(clock.instant())).param("tenant", TenantContext.tenantId())
                .param("id", note.id()).update();
        return get(contactId, noteId);
    }

    @Transactional
    public void delete(UUID contactId, UUID noteId) {
        ContactNote note = authored(contactId, noteId);
        jdbc.sql("delete from contact_notes where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", note.id()).update();
    }

    private ContactNote authored(UUID contactId, UUID noteId) {
        ContactNote note = get(contactId, noteId);
        if (!note.writtenBy(TenantContext.actor())) {
            throw new NotAuthor();
        }
        return note;
    }

    private static String check(String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty() || text.length() > MAX) {
            throw UserError.invalid("contacts.core.note-invalid", MAX);
        }
        return text;
    }

    /** A member's name as it is now; the name kept with the note for a token or a member who left. */
    private List<ContactNote> named(List<ContactNote> notes) {
        if (notes.stream().noneMatch(n -> n.authorId() != null)) {
            return notes;
        }
        Map<UUID, String> names = new HashMap<>();
        members.members().forEach(m -> names.put(m.userId(), m.name()));
        return notes.stream().map(n -> new ContactNote(n.id(), n.contactId(), n.authorId(), n.authorTokenId(),
                n.authorId() != null && names.containsKey(n.authorId()) ? names.get(n.authorId()) : n.authorName(), n.body(),
                n.createdAt(), n.updatedAt())).toList();
    }

    private static final String SELECT = """
            select id, contact_id, author_id, author_token_id, author_name, body, created_at, updated_at from contact_notes
            """;

    private static ContactNote row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new ContactNote(Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"), Sql.uuid(rs, "author_id"), Sql.uuid(rs, "author_token_id"),
                rs.getString("author_name"), rs.getString("body"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
