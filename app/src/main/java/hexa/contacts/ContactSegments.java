package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Saved segments: named contact filters a workspace shares (the list applies them; campaigns will send to them). */
@Service
public class ContactSegments {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_NAME = 100;

    public record Segment(UUID id, String name, ContactFilter filter, UUID createdBy, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcClient jdbc;
    private final ContactSearch search;
    private final AuditTrail audit;
    private final Clock clock;

    ContactSegments(JdbcClient jdbc, ContactSearch search, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.search = search;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Segment> all() {
        return jdbc.sql("select * from contact_segments where tenant_id = :tenant order by lower(name)")
                .param("tenant", TenantContext.tenantId()).query(ContactSegments::map).list();
    }

    public Optional<Segment> find(UUID id) {
        return jdbc.sql("select * from contact_segments where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ContactSegments::map).optional();
    }

    public Segment get(UUID id) {
        return find(id).orElseThrow(NotFoundException::new);
    }

    @Transactional
    public Segment create(String name, ContactFilter filter) {
        String checked = name(name);
        search.check(filter);
        UUID id = Ids.newId();
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                    insert into contact_segments (tenant_id, id, name, filter, created_by, created_at, updated_at)
                    values (:tenant, :id, :name, cast(:filter as jsonb), :by, :now, :now)
                    """)
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", checked).param("filter", JSON.writeValueAsString(filter))
                    .param("by", TenantContext.actor().userId()).param("now", Sql.ts(now))
                    .update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("contacts.segments.name-taken", checked);
        }
        audit.record(AuditEntry.of("contact_segment.created").target("contact_segment", id, checked)
                .details(Map.of("filter", filter.toQuery())));
        return get(id);
    }

    /** Renames a segment and/or changes its filter; a null leaves that part as it is. */
    @Transactional
    public Segment update(UUID id, String newName, ContactFilter newFilter) {
        Segment segment = get(id);
        String name = newName == null ? segment.name() : name(newName);
        ContactFilter filter = newFilter == null ? segment.filter() : newFilter;
        search.check(filter);
        try {
            jdbc.sql("update contact_segments set name = :name, filter = cast(:filter as jsonb), updated_at = :now where tenant_id = :tenant and id = :id")
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", name).param("filter", JSON.writeValueAsString(filter))
                    .param("now", Sql.ts(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("contacts.segments.name-taken", name);
        }
        audit.record(AuditEntry.of("contact_segment.changed").target("contact_segment", id, name)
                .details(Map.of("from", segment.name(), "to", name, "filter", filter.toQuery())));
        return get(id);
    }

    @Transactional
    public void delete(UUID id) {
        Segment segment = get(id);
        jdbc.sql("delete from contact_segments where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).update();
        audit.record(AuditEntry.of("contact_segment.deleted").target("contact_segment", id, segment.name())
                .details(Map.of("filter", segment.filter().toQuery())));
    }

    private static String name(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) {
            throw UserError.invalid("contacts.segments.name-missing");
        }
        if (stripped.length() > MAX_NAME) {
            throw UserError.invalid("contacts.segments.name-too-long", MAX_NAME);
        }
        return stripped;
    }

    static ContactFilter filterOf(String json) {
        return JSON.readValue(json, ContactFilter.class);
    }

    private static Segment map(ResultSet rs, int row) throws SQLException {
        return new Segment(Sql.uuid(rs, "id"), rs.getString("name"), filterOf(rs.getString("filter")), Sql.uuid(rs, "created_by"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
