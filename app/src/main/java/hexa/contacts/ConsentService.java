package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.MemberService;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Marketing consent as a record: every opt-in and opt-out with its source (import, agent, form,
 * keyword, API), who did it and when, in {@code contact_consent_events}; the current state is kept on
 * the contact ({@code marketing_consent*}) so that audiences filter on it with an index. Recording the
 * state a contact already has changes nothing and writes nothing: the answer says so.
 *
 * <p>Marketing goes only to contacts that {@link #marketingAllowed(String)} admits: neither opted out
 * nor blocked. Campaigns build their audiences with that condition or with {@link #marketingAudience};
 * sending a marketing template checks {@link #requireMarketingAllowed} first.
 */
@Service
public class ConsentService {

    public static final int MAX_DETAIL = 500;
    private static final int HISTORY_LIMIT = 200;

    /** Where a contact stands on marketing. */
    public enum Status {
        OPTED_IN, OPTED_OUT;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String value) {
            for (Status status : values()) {
                if (status.value().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(status);
                }
            }
            return Optional.empty();
        }
    }

    /** How the change came about. */
    public enum Source {
        IMPORT, AGENT, FORM, KEYWORD, API,
        /** The person stopped or resumed marketing messages in WhatsApp's own settings (Meta's user_preferences webhook). */
        WHATSAPP_SETTING;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Source> parse(String value) {
            for (Source source : values()) {
                if (source.value().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(source);
                }
            }
            return Optional.empty();
        }
    }

    /** The outcome of recording consent: whether anything changed, and the contact's consent now. */
    public record Change(boolean changed, Contact.Consent consent) {
    }

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final MemberService members;
    private final WorkspaceService workspaces;
    private final AuditTrail audit;
    private final Clock clock;

    private final ApplicationEventPublisher publisher;

    ConsentService(JdbcClient jdbc, ContactService contacts, MemberService members, WorkspaceService workspaces, AuditTrail audit,
                   Clock clock, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.members = members;
        this.workspaces = workspaces;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The audience rule of every marketing send, as an SQL condition on the {@code contacts} row named
     * {@code alias}: the contact has not opted out and is not blocked. Indexed by {@code contacts_opted_out}
     * and {@code contacts_blocked} (both partial, so they stay small).
     */
    public static String marketingAllowed(String alias) {
        if (!alias.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not an SQL alias: " + alias);
        }
        return "(" + alias + ".marketing_consent <> 'opted_out' and " + alias + ".blocked_at is null)";
    }

    /** Of these contacts, those marketing may go to (see {@link #marketingAllowed}), in the order given. */
    public List<UUID> marketingAudience(Collection<UUID> contactIds) {
        if (contactIds.isEmpty()) {
            return List.of();
        }
        Set<UUID> allowed = new HashSet<>(jdbc.sql("select c.id from contacts c where c.tenant_id = :tenant and c.id = any(:ids) and "
                        + marketingAllowed("c"))
                .param("tenant", TenantContext.tenantId()).param("ids", contactIds.toArray(new UUID[0])).query(UUID.class).list());
        return contactIds.stream().distinct().filter(allowed::contains).toList();
    }

    /**
     * Refuses a marketing send to a contact who opted out, saying when and how they did (422,
     * {@code opted_out}). Support replies and utility or authentication templates are not marketing and
     * never come here.
     */
    public void requireMarketingAllowed(Contact contact) {
        Contact.Consent consent = contact.consent();
        if (!consent.optedOut()) {
            return;
        }
        throw new OptedOut(contact.displayName(),
                consent.at() == null ? "?" : when(consent.at()), sourceLabel(consent.source()));
    }

    /** The contact's consent now. */
    public Contact.Consent current(UUID contactId) {
        return contacts.byId(contactId).orElseThrow(NotFoundException::new).consent();
    }

    /**
     * Opts a contact in or out, by whoever acts now (a member, an API token, or the system for a keyword),
     * with a detail worth keeping (the word they wrote, the form's name). Writes the history and the current
     * state in one statement, and nothing when the contact already has that state. A change by a person or a
     * token is also written to the audit trail.
     */
    @Transactional
    public Change record(UUID contactId, Status status, Source source, String detail) {
        String cleanDetail = detail(detail);
        UUID tenant = TenantContext.tenantId();
        Actor actor = TenantContext.actor();
        Contact contact = contacts.byId(contactId).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        int changed = jdbc.sql("""
                with changed as (
                    update contacts set marketing_consent = :status, marketing_consent_source = :source, marketing_consent_at = :now,
                                        updated_at = :now
                     where tenant_id = :tenant and id = :id and marketing_consent <> :status
                    returning id
                )
                insert into contact_consent_events (tenant_id, id, contact_id, status, source, actor_id, detail, created_at)
                select :tenant, :eventId, id, :status, :source, :actor, :detail, :now from changed
                """)
                .param("tenant", tenant).param("id", contactId).param("status", status.value()).param("source", source.value())
                .param("now", Sql.ts(now)).param("eventId", Ids.newId()).param("actor", actorId(actor)).param("detail", cleanDetail)
                .update();
        if (changed == 0) {
            return new Change(false, contact.consent());
        }
        publisher.publishEvent(new ConsentChanged(tenant, contactId, status, source));
        if (actor.userId() != null || actor.tokenId() != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", contact.consent().marketing());
            details.put("to", status.value());
            details.put("source", source.value());
            if (cleanDetail != null) {
                details.put("detail", cleanDetail);
            }
            audit.record(AuditEntry.of("contact.consent_changed").target("contact", contactId, contact.displayName()).details(details));
        }
        return new Change(true, new Contact.Consent(status.value(), source.value(), now));
    }

    /**
     * Many contacts' consent at once, each to its own state (an import), set-based: one statement whatever their
     * number, at the given time, in the given workspace (callers running in the background pass it). Contacts that
     * already have the state, and ids of no contact of the workspace, are left alone. With {@code keepKeywordOptOuts},
     * a contact who opted out by replying with a keyword is not opted in again (only they can undo that, by writing the
     * opt-in word, or an agent by hand). Answers how many changed and who was kept opted out. The caller writes its own
     * audit entry.
     */
    @Transactional
    public Recorded recordEach(UUID tenant, Map<UUID, Status> wanted, Source source, UUID actorId, String detail,
                                boolean keepKeywordOptOuts, Instant now) {
        if (wanted.isEmpty()) {
            return new Recorded(0, Set.of());
        }
        JsonRows rows = new JsonRows();
        wanted.forEach((id, status) -> rows.add().put("id", id).put("event_id", Ids.newId()).put("status", status.value()));
        List<ConsentChanged> changes = jdbc.sql("""
                with wanted as (
                    select r.id, r.event_id, r.status from json_to_recordset(cast(:rows as json)) as r(id uuid, event_id uuid, status text)
                ), changed as (
                    update contacts c
                       set marketing_consent = w.status, marketing_consent_source = :source, marketing_consent_at = :now, updated_at = :now
                      from wanted w
                     where c.tenant_id = :tenant and c.id = w.id and c.marketing_consent <> w.status
                       and not (:keep and w.status = 'opted_in' and c.marketing_consent = 'opted_out' and c.marketing_consent_source in ('keyword', 'whatsapp_setting'))
                    returning c.id, w.event_id, w.status
                )
                insert into contact_consent_events (tenant_id, id, contact_id, status, source, actor_id, detail, created_at)
                select :tenant, changed.event_id, changed.id, changed.status, :source, :actor, :detail, :now from changed
                returning contact_id, status
                """)
                .param("tenant", tenant).param("rows", rows.json()).param("source", source.value()).param("now", Sql.ts(now))
                .param("actor", actorId).param("detail", detail(detail)).param("keep", keepKeywordOptOuts)
                .query((rs, n) -> new ConsentChanged(tenant, Sql.uuid(rs, "contact_id"), Status.parse(rs.getString("status")).orElseThrow(), source))
                .list();
        changes.forEach(publisher::publishEvent);
        int changed = changes.size();
        if (!keepKeywordOptOuts) {
            return new Recorded(changed, Set.of());
        }
        UUID[] optingIn = wanted.entrySet().stream().filter(e -> e.getValue() == Status.OPTED_IN).map(Map.Entry::getKey).toArray(UUID[]::new);
        return new Recorded(changed, new HashSet<>(jdbc.sql("""
                select id from contacts
                 where tenant_id = :tenant and id = any(:ids) and marketing_consent = 'opted_out' and marketing_consent_source in ('keyword', 'whatsapp_setting')
                """)
                .param("tenant", tenant).param("ids", optingIn)
                .query((rs, n) -> Sql.uuid(rs, "id")).list()));
    }

    /** What {@link #recordEach} did: how many contacts changed, and who kept their own opt-out. */
    public record Recorded(int changed, Set<UUID> keptOptedOut) {
    }

    /** One change of a contact's consent, as the history shows it. */
    public record Event(UUID id, UUID contactId, String status, String source, UUID actorId, String actorName, String detail, Instant at) {

        public boolean optedOut() {
            return "opted_out".equals(status);
        }
    }

    /** A contact's consent history, newest first (the latest {@value #HISTORY_LIMIT} changes). */
    public List<Event> history(UUID contactId) {
        contacts.byId(contactId).orElseThrow(NotFoundException::new);
        Map<UUID, String> names = new HashMap<>();
        members.members().forEach(m -> names.put(m.userId(), m.name()));
        return jdbc.sql("""
                select id, contact_id, status, source, actor_id, detail, created_at from contact_consent_events
                 where tenant_id = :tenant and contact_id = :contact
                 order by created_at desc, id desc
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("contact", contactId).param("limit", HISTORY_LIMIT)
                .query((rs, n) -> {
                    UUID actor = Sql.uuid(rs, "actor_id");
                    return new Event(Sql.uuid(rs, "id"), Sql.uuid(rs, "contact_id"), rs.getString("status"), rs.getString("source"), actor,
                            actor == null ? null : names.get(actor), rs.getString("detail"), Sql.instant(rs, "created_at"));
                }).list();
    }

    /** What people read for a source: "by replying with a keyword", "by an agent"... */
    public static String sourceLabel(String source) {
        return Text.t("contacts.consent.source." + (source == null ? "unknown" : source));
    }

    private String when(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ENGLISH).format(at.atZone(workspaces.current().timeZone()));
    }

    private static UUID actorId(Actor actor) {
        return actor.userId() != null ? actor.userId() : actor.tokenId();
    }

    private static String detail(String detail) {
        if (detail == null || detail.isBlank()) {
            return null;
        }
        String clean = detail.strip();
        if (clean.length() > MAX_DETAIL) {
            throw UserError.invalid("contacts.consent.detail-too-long", MAX_DETAIL);
        }
        return clean;
    }
}
