package hexa.campaigns;

import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The SQL of {@code campaigns} and {@code campaign_recipients}, always within the current workspace unless said otherwise. */
@Component
class CampaignRows {

    private final JdbcClient jdbc;

    CampaignRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- campaigns

    void insert(Campaign c) {
        jdbc.sql("""
                insert into campaigns (tenant_id, id, name, status, template_name, template_language, template_category, variables, ab,
                                       audience, connection_ids, created_by, created_at, updated_at)
                values (:tenant, :id, :name, 'DRAFT', :templateName, :templateLanguage, :templateCategory, cast(:variables as jsonb),
                        cast(:ab as jsonb), cast(:audience as jsonb), :connections, :createdBy, :now, :now)
                """)
                .param("tenant", TenantContext.tenantId()).param("id", c.id()).param("name", c.name()).param("templateName", c.templateName())
                .param("templateLanguage", c.templateLanguage()).param("templateCategory", c.templateCategory())
                .param("variables", c.variables().json().toString()).param("ab", c.ab() == null ? null : CampaignDraft.JSON.valueToTree(c.ab()).toString())
                .param("audience", c.audience().json().toString()).param("connections", c.connectionIds().toArray(new UUID[0]))
                .param("createdBy", c.createdBy()).param("now", Sql.ts(c.createdAt()))
                .update();
    }

    /** Changes a draft's content; false when it is no longer a draft. */
    boolean updateDraft(Campaign c, Instant now) {
        return jdbc.sql("""
                update campaigns set name = :name, template_name = :templateName, template_language = :templateLanguage,
                       template_category = :templateCategory, variables = cast(:variables as jsonb), ab = cast(:ab as jsonb),
                       audience = cast(:audience as jsonb), connection_ids = :connections, updated_at = :now
                 where tenant_id = :tenant and id = :id and status = 'DRAFT'
                """)
                .param("tenant", TenantContext.tenantId()).param("id", c.id()).param("name", c.name()).param("templateName", c.templateName())
                .param("templateLanguage", c.templateLanguage()).param("templateCategory", c.templateCategory())
                .param("variables", c.variables().json().toString()).param("ab", c.ab() == null ? null : CampaignDraft.JSON.valueToTree(c.ab()).toString())
                .param("audience", c.audience().json().toString()).param("connections", c.connectionIds().toArray(new UUID[0]))
                .param("now", Sql.ts(now))
                .update() == 1;
    }

    Optional<Campaign> find(UUID id) {
        return jdbc.sql("select * from campaigns where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(CampaignRows::map).optional();
    }

    /** The campaign, locked against a concurrent change of its status until the transaction ends. */
    Optional<Campaign> lock(UUID id) {
        return jdbc.sql("select * from campaigns where tenant_id = :tenant and id = :id for update")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(CampaignRows::map).optional();
    }

    /**
     * The campaign if it is still {@code status}, held (shared) so that pausing or cancelling it waits for the caller's
     * transaction, and one that begins after a pause or cancellation sees it.
     */
    Optional<Campaign> holdIf(UUID id, Campaign.Status status) {
        return jdbc.sql("select * from campaigns where tenant_id = :tenant and id = :id and status = :status for share")
                .param("tenant", TenantContext.tenantId()).param("id", id).param("status", status.name()).query(CampaignRows::map).optional();
    }

    /** Newest first, after the cursor's campaign ({@code createdAt}, {@code id}); one more than {@code limit} tells there is more. */
    List<Campaign> list(Instant afterCreated, UUID afterId, int limit) {
        return jdbc.sql("select * from campaigns where tenant_id = :tenant"
                        + (afterId == null ? "" : " and (created_at, id) < (:afterCreated, :afterId)")
                        + " order by created_at desc, id desc limit :limit")
                .param("tenant", TenantContext.tenantId()).param("afterCreated", afterCreated == null ? null : Sql.ts(afterCreated))
                .param("afterId", afterId).param("limit", limit + 1).query(CampaignRows::map).list();
    }

    /**
     * Sets the columns given (status, times) and {@code updated_at}, in the current workspace; answers whether the row was
     * in one of {@code from}. A null value clears its column.
     */
    boolean move(UUID id, List<Campaign.Status> from, Instant now, Map<String, Object> set) {
        StringBuilder sql = new StringBuilder("update campaigns set updated_at = :now");
        Map<String, Object> params = new LinkedHashMap<>();
        set.forEach((column, value) -> {
            if (!column.matches("[a-z_]+")) {
                throw new IllegalArgumentException(column);
            }
            sql.append(", ").append(column).append(" = :").append(column);
            params.put(column, value instanceof Instant i ? Sql.ts(i) : value instanceof Campaign.Status s ? s.name() : value);
        });
        sql.append(" where tenant_id = :tenant and id = :id and status = any(:from)");
        params.put("now", Sql.ts(now));
        params.put("tenant", TenantContext.tenantId());
        params.put("id", id);
        params.put("from", from.stream().map(Enum::name).toArray(String[]::new));
        return jdbc.sql(sql.toString()).params(params).update() == 1;
    }

    /** A campaign the dispatcher has work for, in any workspace. */
    record Active(UUID tenantId, UUID id, Campaign.Status status) {
    }

    /**
     * Campaigns with work: scheduled ones whose time has come, those being prepared (also when paused meanwhile), and those
     * sending. Across workspaces; the dispatcher enters each one's workspace.
     */
    List<Active> active(Instant now) {
        return jdbc.sql("""
                select tenant_id, id, status from campaigns
                 where status in ('SCHEDULED', 'PREPARING', 'SENDING') and (status <> 'SCHEDULED' or send_at <= :now)
                union all
                select tenant_id, id, status from campaigns where status = 'PAUSED' and prepared_at is null and failure is null
                """)
                .param("now", Sql.ts(now))
                .query((rs, n) -> new Active(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Campaign.Status.valueOf(rs.getString("status"))))
                .list();
    }

    static Campaign map(ResultSet rs, int n) throws SQLException {
        JsonNode ab = json(rs.getString("ab"));
        Array connections = rs.getArray("connection_ids");
        java.sql.Date localDate = rs.getDate("local_date");
        Object hour = rs.getObject("local_hour");
        return new Campaign(Sql.uuid(rs, "id"), rs.getString("name"), Campaign.Status.valueOf(rs.getString("status")),
                rs.getString("template_name"), rs.getString("template_language"), rs.getString("template_category"),
                CampaignVariables.Spec.fromJson(json(rs.getString("variables"))), CampaignDraft.AbTest.fromStored(ab), rs.getString("ab_winner"),
                Sql.instant(rs, "ab_decided_at"), CampaignDraft.Audience.fromJson(json(rs.getString("audience"))),
                connections == null ? List.of() : Arrays.asList((UUID[]) connections.getArray()), Sql.instant(rs, "send_at"),
                rs.getString("time_zone"), hour == null ? null : ((Number) hour).intValue(), localDate == null ? null : localDate.toLocalDate(),
                Sql.uuid(rs, "follow_up_of"), rs.getString("follow_up_rule"), rs.getString("estimate"), Sql.uuid(rs, "created_by"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "started_at"), Sql.instant(rs, "paused_at"),
                Sql.instant(rs, "finished_at"), Sql.instant(rs, "cancelled_at"), Sql.uuid(rs, "prepared_through"),
                Sql.instant(rs, "prepared_at"), rs.getString("failure"));
    }

    private static JsonNode json(String text) {
        return text == null ? null : CampaignDraft.JSON.readTree(text);
    }

    // ---- recipients

    /** One recipient as prepared: its state (WAITING or EXCLUDED), why excluded, A/B variant, country and due time. */
    record Prepared(UUID contactId, String state, String exclusion, String variant, String country, Instant dueAt) {
    }

    /**
     * Writes a batch of prepared recipients in one statement. A recipient already there is left alone (written by an earlier
     * run of the same preparation, or already handed over), except one an upload wrote with no time yet, which is prepared now.
     */
    void writePrepared(UUID campaignId, List<Prepared> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        UUID[] contacts = new UUID[n];
        String[] states = new String[n];
        String[] exclusions = new String[n];
        String[] variants = new String[n];
        String[] countries = new String[n];
        String[] due = new String[n];
        for (int i = 0; i < n; i++) {
            Prepared r = rows.get(i);
            contacts[i] = r.contactId();
            states[i] = r.state();
            exclusions[i] = r.exclusion();
            variants[i] = r.variant();
            countries[i] = r.country();
            due[i] = r.dueAt() == null ? null : r.dueAt().toString();
        }
        jdbc.sql("""
                insert into campaign_recipients (tenant_id, campaign_id, contact_id, state, exclusion, variant, country, due_at)
                select :tenant, :campaign, r.contact, r.state, r.exclusion, r.variant, r.country, cast(r.due as timestamptz)
                  from unnest(cast(:contacts as uuid[]), cast(:states as text[]), cast(:exclusions as text[]), cast(:variants as text[]),
                              cast(:countries as text[]), cast(:due as text[])) as r(contact, state, exclusion, variant, country, due)
                on conflict (tenant_id, campaign_id, contact_id) do update
                   set state = excluded.state, exclusion = excluded.exclusion, variant = excluded.variant, country = excluded.country,
                       due_at = excluded.due_at
                 where campaign_recipients.due_at is null and campaign_recipients.state in ('WAITING', 'EXCLUDED')
                   and campaign_recipients.message_id is null
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("contacts", contacts).param("states", states)
                .param("exclusions", exclusions).param("variants", variants).param("countries", countries).param("due", due)
                .update();
    }

    /** Contacts an upload chose, written before the campaign starts (WAITING, no time yet). */
    void writeChosen(UUID campaignId, List<UUID> contactIds) {
        jdbc.sql("""
                insert into campaign_recipients (tenant_id, campaign_id, contact_id, state)
                select :tenant, :campaign, c, 'WAITING' from unnest(cast(:contacts as uuid[])) as c
                on conflict do nothing
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("contacts", contactIds.toArray(new UUID[0]))
                .update();
    }

    /** Forgets what an upload chose (a draft's upload replaced). */
    void forgetChosen(UUID campaignId) {
        jdbc.sql("delete from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign and due_at is null and message_id is null")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).update();
    }

    /** The next contacts of the campaign's own rows after {@code after}, in id order (an upload's, an earlier campaign's). */
    List<UUID> contactsAfter(UUID campaignId, UUID after, int limit, List<String> states) {
        return jdbc.sql("select contact_id from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign"
                        + " and state = any(:states)" + (after == null ? "" : " and contact_id > :after") + " order by contact_id limit :limit")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("after", after).param("limit", limit)
                .param("states", states.toArray(new String[0]))
                .query(UUID.class).list();
    }

    /** Contacts of another campaign that match a follow-up's rule, after {@code after} in id order. */
    List<UUID> followUpAfter(UUID campaignId, String rule, UUID after, int limit) {
        String condition = rule.equals("NOT_REPLIED") ? "replied_at is null" : "read_at is null and state <> 'READ'";
        return jdbc.sql("select contact_id from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign"
                        + " and state in ('QUEUED', 'SENT', 'DELIVERED', 'READ') and " + condition
                        + (after == null ? "" : " and contact_id > :after") + " order by contact_id limit :limit")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("after", after).param("limit", limit)
                .query(UUID.class).list();
    }

    /** A recipient whose turn has come, claimed. */
    record Due(UUID contactId, String variant) {
    }

    /**
     * Up to {@code limit} waiting recipients due by {@code now}, in due order, locked with {@code skip locked} (another
     * node's chunk is not waited for). Without a winner yet, the rest of an A/B test (no variant) waits.
     */
    List<Due> claimDue(UUID campaignId, Instant now, boolean restWaits, int limit) {
        return jdbc.sql("""
                select contact_id, variant from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :campaign and state = 'WAITING' and due_at <= :now
                """ + (restWaits ? " and variant is not null" : "") + """

                 order by due_at
                 limit :limit
                   for update skip locked
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("now", Sql.ts(now)).param("limit", limit)
                .query((rs, n) -> new Due(Sql.uuid(rs, "contact_id"), rs.getString("variant"))).list();
    }

    /** Recipients handed to the send queue: QUEUED with their messages, numbers and time, in one statement. */
    void markQueued(UUID campaignId, List<UUID> contacts, List<UUID> messages, UUID connectionId, Instant now) {
        jdbc.sql("""
                update campaign_recipients r set state = 'QUEUED', message_id = q.message, connection_id = :connection, queued_at = :now
                  from unnest(cast(:contacts as uuid[]), cast(:messages as uuid[])) as q(contact, message)
                 where r.tenant_id = :tenant and r.campaign_id = :campaign and r.contact_id = q.contact and r.state = 'WAITING'
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("connection", connectionId)
                .param("contacts", contacts.toArray(new UUID[0])).param("messages", messages.toArray(new UUID[0])).param("now", Sql.ts(now))
                .update();
    }

    /** Waiting recipients found unable to get it when their turn came. */
    void exclude(UUID campaignId, List<UUID> contacts, String reason) {
        if (contacts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update campaign_recipients set state = 'EXCLUDED', exclusion = :reason
                 where tenant_id = :tenant and campaign_id = :campaign and contact_id = any(:contacts) and state = 'WAITING'
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("contacts", contacts.toArray(new UUID[0]))
                .param("reason", reason).update();
    }

    /** A cancelled campaign's recipients not yet handed over, and those whose messages were taken back from the send queue. */
    int cancel(UUID campaignId, List<UUID> withdrawnMessages) {
        int waiting = jdbc.sql("update campaign_recipients set state = 'CANCELLED' where tenant_id = :tenant and campaign_id = :campaign and state = 'WAITING'")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).update();
        if (withdrawnMessages.isEmpty()) {
            return waiting;
        }
        return waiting + jdbc.sql("""
                update campaign_recipients set state = 'CANCELLED'
                 where tenant_id = :tenant and message_id = any(:messages) and campaign_id = :campaign and state = 'QUEUED'
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId)
                .param("messages", withdrawnMessages.toArray(new UUID[0])).update();
    }

    boolean anyWaiting(UUID campaignId) {
        return jdbc.sql("select exists (select 1 from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign and state = 'WAITING')")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).query(Boolean.class).single();
    }

    /** How many recipients are in each state, and the excluded by reason. */
    record Counts(Map<String, Long> byState, Map<String, Long> excluded, Map<String, Long> failed, long sent, long delivered, long read,
                  long replied, long clicked, java.math.BigDecimal cost) {
    }

    Counts counts(UUID campaignId) {
        Map<String, Long> byState = new LinkedHashMap<>();
        Map<String, Long> excluded = new LinkedHashMap<>();
        Map<String, Long> failed = new LinkedHashMap<>();
        jdbc.sql("""
                select state, exclusion, error_code, count(*) as n from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :campaign group by state, exclusion, error_code
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId)
                .query((rs, i) -> {
                    String state = rs.getString("state");
                    long count = rs.getLong("n");
                    byState.merge(state, count, Long::sum);
                    if (state.equals("EXCLUDED") && rs.getString("exclusion") != null) {
                        excluded.merge(rs.getString("exclusion"), count, Long::sum);
                    }
                    if (state.equals("FAILED")) {
                        Object code = rs.getObject("error_code");
                        failed.merge(code == null ? "unknown" : code.toString(), count, Long::sum);
                    }
                    return null;
                }).list();
        return jdbc.sql("""
                select count(*) filter (where sent_at is not null or state in ('SENT', 'DELIVERED', 'READ')) as sent,
                       count(*) filter (where delivered_at is not null or state in ('DELIVERED', 'READ')) as delivered,
                       count(*) filter (where read_at is not null or state = 'READ') as read,
                       count(*) filter (where replied_at is not null) as replied,
                       count(*) filter (where clicked_at is not null) as clicked,
                       coalesce(sum(cost), 0) as cost
                  from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId)
                .query((rs, i) -> new Counts(byState, excluded, failed, rs.getLong("sent"), rs.getLong("delivered"), rs.getLong("read"),
                        rs.getLong("replied"), rs.getLong("clicked"), rs.getBigDecimal("cost"))).single();
    }

    /** One recipient as the campaign's list shows it. */
    record Recipient(UUID contactId, String name, String phone, String state, String exclusion, String variant, UUID connectionId,
                     String country, Instant dueAt, UUID messageId, Instant queuedAt, Instant sentAt, Instant deliveredAt, Instant readAt,
                     Instant repliedAt, Instant failedAt, Integer errorCode, String errorTitle) {
    }

    /** Recipients in contact id order after {@code after}, in a state, whose name or number contains {@code q}. */
    List<Recipient> recipients(UUID campaignId, String state, String q, UUID after, int limit) {
        return jdbc.sql("""
                select r.*, coalesce(k.name, k.profile_name) as contact_name, k.phone_e164
                  from campaign_recipients r
                  left join published_contacts k on k.tenant_id = r.tenant_id and k.id = r.contact_id
                 where r.tenant_id = :tenant and r.campaign_id = :campaign
                """ + (state == null ? "" : " and r.state = :state") + (after == null ? "" : " and r.contact_id > :after")
                        + (q == null ? "" : " and (coalesce(k.name, k.profile_name, '') ilike :q"
                        + (q.replaceAll("[^0-9]", "").isEmpty() ? ")" : " or coalesce(k.phone_e164, '') like :digits)")) + """

                 order by r.contact_id
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("state", state).param("after", after)
                .param("q", q == null ? null : Sql.likeContains(q)).param("digits", q == null ? null : Sql.likeContains(q.replaceAll("[^0-9]", "")))
                .param("limit", limit + 1)
                .query((rs, n) -> new Recipient(Sql.uuid(rs, "contact_id"), rs.getString("contact_name"), rs.getString("phone_e164"),
                        rs.getString("state"), rs.getString("exclusion"), rs.getString("variant"), Sql.uuid(rs, "connection_id"),
                        rs.getString("country"), Sql.instant(rs, "due_at"), Sql.uuid(rs, "message_id"), Sql.instant(rs, "queued_at"),
                        Sql.instant(rs, "sent_at"), Sql.instant(rs, "delivered_at"), Sql.instant(rs, "read_at"), Sql.instant(rs, "replied_at"),
                        Sql.instant(rs, "failed_at"), (Integer) rs.getObject("error_code"), rs.getString("error_title")))
                .list();
    }

    /** A sample of a campaign's waiting recipients (for a preview), at most {@code limit}. */
    List<UUID> sample(UUID campaignId, int limit) {
        return jdbc.sql("select contact_id from campaign_recipients where tenant_id = :tenant and campaign_id = :campaign and state <> 'EXCLUDED' limit :limit")
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("limit", limit).query(UUID.class).list();
    }

    /** Every campaign row of a contact, for their export. */
    List<Map<String, Object>> ofContact(UUID tenant, UUID contactId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.sql("""
                select c.name, r.state, r.exclusion, r.variant, r.queued_at, r.sent_at, r.delivered_at, r.read_at, r.replied_at, r.clicked_at,
                       r.failed_at, r.error_code, r.error_title
                  from campaign_recipients r join campaigns c on c.tenant_id = r.tenant_id and c.id = r.campaign_id
                 where r.tenant_id = :tenant and r.contact_id = :contact order by r.queued_at nulls last
                """)
                .param("tenant", tenant).param("contact", contactId)
                .query((rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("campaign", rs.getString("name"));
                    row.put("state", rs.getString("state"));
                    row.put("exclusion", rs.getString("exclusion"));
                    row.put("variant", rs.getString("variant"));
                    for (String at : List.of("queued_at", "sent_at", "delivered_at", "read_at", "replied_at", "clicked_at", "failed_at")) {
                        Instant value = Sql.instant(rs, at);
                        row.put(at, value == null ? null : value.toString());
                    }
                    row.put("error_code", rs.getObject("error_code"));
                    row.put("error_title", rs.getString("error_title"));
                    return rows.add(row);
                }).list();
        return rows;
    }

    static LocalDate date(Instant at) {
        return at == null ? null : LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
    }
}
