package hexa.inbox;

import hexa.contacts.Contact;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Canned responses: a shortcut (lowercase letters, digits, - and _) and a text. Variables
 * {{contact.name}}, {{contact.first_name}}, {{contact.phone}} and {{agent.name}} are filled in for the
 * conversation at hand; an unknown variable stays as written so the agent sees it before sending.
 */
@Service
class CannedResponses {

    static final Pattern SHORTCUT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    static final int MAX_BODY = 4096;

    private final JdbcClient jdbc;
    private final Clock clock;

    CannedResponses(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<CannedResponse> all() {
        return jdbc.sql("select id, shortcut, body from canned_responses where tenant_id = :tenant order by shortcut")
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> new CannedResponse(Sql.uuid(rs, "id"), rs.getString("shortcut"), rs.getString("body"))).list();
    }

    public CannedResponse get(UUID id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(NotFoundException::new);
    }

    @Transactional
    public CannedResponse create(String shortcut, String body) {
        UUID id = Ids.newId();
        try {
            jdbc.sql("""
                    insert into canned_responses (tenant_id, id, shortcut, body, created_at, updated_at)
                    values (:tenant, :id, :shortcut, :body, :now, :now)
                    """)
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("shortcut", shortcut(shortcut)).param("body", body(body))
                    .param("now", Sql.ts(clock.instant())).update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("inbox.canned.exists", shortcut(shortcut));
        }
        return get(id);
    }

    @Transactional
    public CannedResponse update(UUID id, String shortcut, String body) {
        get(id);
        try {
            jdbc.sql("update canned_responses set shortcut = :shortcut, body = :body, updated_at = :now where tenant_id = :tenant and id = :id")
                    .param("shortcut", shortcut(shortcut)).param("body", body(body)).param("now", Sql.ts(clock.instant()))
                    .param("tenant", TenantContext.tenantId()).param("id", id).update();
        } catch (DuplicateKeyException e) {
            throw UserError.conflict("inbox.canned.exists", shortcut(shortcut));
        }
        return get(id);
    }

    @Transactional
    public void delete(UUID id) {
        get(id);
        jdbc.sql("delete from canned_responses where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).update();
    }

    /** The responses with their variables filled in for this contact and agent. */
    public List<CannedResponse> filledFor(Contact contact, String agentName) {
        return all().stream().map(c -> new CannedResponse(c.id(), c.shortcut(), fill(c.body(), contact, agentName))).toList();
    }

    static String fill(String body, Contact contact, String agentName) {
        String name = contact.displayName() == null ? "" : contact.displayName();
        String first = name.strip().split("\\s+", 2)[0];
        return body.replace("{{contact.name}}", name)
                .replace("{{contact.first_name}}", first)
                .replace("{{contact.phone}}", contact.phoneE164() == null ? "" : contact.phoneE164())
                .replace("{{agent.name}}", agentName == null ? "" : agentName);
    }

    private static String shortcut(String shortcut) {
        String clean = shortcut == null ? "" : shortcut.strip().toLowerCase(Locale.ROOT);
        if (clean.startsWith("/")) {
            clean = clean.substring(1);
        }
        if (!SHORTCUT.matcher(clean).matches()) {
            throw UserError.invalid("inbox.canned.shortcut-invalid");
        }
        return clean;
    }

    private static String body(String body) {
        String clean = body == null ? "" : body.strip();
        if (clean.isEmpty() || clean.length() > MAX_BODY) {
            throw UserError.invalid("inbox.canned.body-invalid", MAX_BODY);
        }
        return clean;
    }
}
