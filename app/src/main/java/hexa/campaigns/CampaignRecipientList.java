package hexa.campaigns;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A campaign's recipients one by one: filtered by state (or those who replied or clicked), searched by name or number
 * (through the contacts module), a page at a time with a cursor; and all of them as a CSV file, written as it is read.
 */
@Service
public class CampaignRecipientList {

    public static final int MAX_PAGE = 200;
    private static final int EXPORT_BATCH = 1000;
    /** Contacts a search may find: a campaign's list is searched for a person, not for thousands. */
    private static final int MAX_FOUND = 1000;
    private static final List<String> FILTERS = List.of("EXCLUDED", "WAITING", "QUEUED", "SENT", "DELIVERED", "READ", "FAILED", "CANCELLED",
            "REPLIED", "CLICKED");

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final CampaignFailureReasons reasons;

    CampaignRecipientList(JdbcClient jdbc, ContactService contacts, CampaignFailureReasons reasons) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.reasons = reasons;
    }

    /**
     * One recipient as the list shows it.
     *
     * @param failure why the message failed, in plain words, or null
     */
    public record Recipient(UUID contactId, String name, String phone, String state, String exclusion, String variant, String country,
                            Instant queuedAt, Instant sentAt, Instant deliveredAt, Instant readAt, Instant repliedAt, Instant clickedAt,
                            Instant failedAt, Integer errorCode, String failure, BigDecimal cost) {
    }

    /** A page of recipients and the cursor of the next (null at the end). */
    public record Page(List<Recipient> items, String nextCursor) {
    }

    /**
     * A page of the campaign's recipients.
     *
     * @param state a recipient state, {@code REPLIED} or {@code CLICKED}; null or blank: all
     * @param query words of a name, or digits of a number; null or blank: everyone
     * @param cursor the {@code nextCursor} of the page before; null for the first
     */
    public Page page(UUID campaignId, String state, String query, String cursor, int limit) {
        requireCampaign(campaignId);
        String filter = filter(state);
        UUID after = cursor(cursor);
        List<UUID> found = found(query);
        if (found != null && found.isEmpty()) {
            return new Page(List.of(), null);
        }
        int size = Math.max(1, Math.min(MAX_PAGE, limit));
        List<Row> rows = rows(campaignId, filter, found, after, size + 1);
        boolean more = rows.size() > size;
        List<Row> shown = more ? rows.subList(0, size) : rows;
        return new Page(withContacts(shown), more ? shown.get(shown.size() - 1).contactId().toString() : null);
    }

    /**
     * Writes the campaign's recipients (filtered and searched as {@link #page}) as CSV, a batch at a time, so that a
     * campaign of a million recipients takes the memory of a thousand. Cells a spreadsheet would run as a formula are
     * neutralised. Answers the rows written.
     */
    public long exportCsv(UUID campaignId, String state, String query, OutputStream out) {
        requireCampaign(campaignId);
        String filter = filter(state);
        List<UUID> found = found(query);
        long written = 0;
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT);
            csv.printRecord(List.of(Text.t("campaigns.funnel.csv.name"), Text.t("campaigns.funnel.csv.phone"), Text.t("campaigns.funnel.csv.state"),
                    Text.t("campaigns.funnel.csv.why"), Text.t("campaigns.funnel.csv.variant"), Text.t("campaigns.funnel.csv.country"),
                    Text.t("campaigns.funnel.csv.queued"), Text.t("campaigns.funnel.csv.sent"), Text.t("campaigns.funnel.csv.delivered"),
                    Text.t("campaigns.funnel.csv.read"), Text.t("campaigns.funnel.csv.replied"), Text.t("campaigns.funnel.csv.clicked"),
                    Text.t("campaigns.funnel.csv.failed"), Text.t("campaigns.funnel.csv.error-code"), Text.t("campaigns.funnel.csv.cost")));
            if (found == null || !found.isEmpty()) {
                UUID after = null;
                while (true) {
                    List<Row> rows = rows(campaignId, filter, found, after, EXPORT_BATCH);
                    for (Recipient r : withContacts(rows)) {
                        List<String> cells = new ArrayList<>(List.of(text(r.name()), text(r.phone()), Text.t("campaigns.funnel.state." + r.state()),
                                r.exclusion() != null ? Text.t("campaigns.funnel.exclusion." + r.exclusion()) : text(r.failure()),
                                text(r.variant()), text(r.country()), time(r.queuedAt()), time(r.sentAt()), time(r.deliveredAt()),
                                time(r.readAt()), time(r.repliedAt()), time(r.clickedAt()), time(r.failedAt()),
                                r.errorCode() == null ? "" : r.errorCode().toString(), r.cost() == null ? "" : r.cost().toPlainString()));
                        cells.replaceAll(CampaignRecipientList::neutralised);
                        csv.printRecord(cells);
                        written++;
                    }
                    if (rows.size() < EXPORT_BATCH) {
                        break;
                    }
                    after = rows.get(rows.size() - 1).contactId();
                    csv.flush();
                }
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the recipients' CSV", e);
        }
        return written;
    }

    /**
     * A cell as a spreadsheet shows it and never runs it: one starting with =, +, -, @ (or a tab or carriage return,
     * which some spreadsheets skip before reading a formula) gets a leading apostrophe.
     */
    static String neutralised(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + cell : cell;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String time(Instant at) {
        return at == null ? "" : at.toString();
    }

    private record Row(UUID contactId, String state, String exclusion, String variant, String country, Instant queuedAt, Instant sentAt,
                       Instant deliveredAt, Instant readAt, Instant repliedAt, Instant clickedAt, Instant failedAt, Integer errorCode,
                       String errorTitle, BigDecimal cost) {
    }

    private List<Row> rows(UUID campaignId, String filter, List<UUID> among, UUID after, int limit) {
        return jdbc.sql("""
                select contact_id, state, exclusion, variant, country, queued_at, sent_at, delivered_at, read_at, replied_at, clicked_at,
                       failed_at, error_code, error_title, cost
                  from campaign_recipients
                 where tenant_id = :tenant and campaign_id = :campaign
                   and (cast(:after as uuid) is null or contact_id > cast(:after as uuid))
                   and (cast(:among as uuid[]) is null or contact_id = any(cast(:among as uuid[])))
                   and (:filter = ''
                        or :filter = 'REPLIED' and replied_at is not null
                        or :filter = 'CLICKED' and clicked_at is not null
                        or :filter = 'SENT' and state in ('SENT', 'DELIVERED', 'READ')
                        or :filter = 'DELIVERED' and state in ('DELIVERED', 'READ')
                        or :filter not in ('SENT', 'DELIVERED') and state = :filter)
                 order by contact_id
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("campaign", campaignId).param("after", after)
                .param("among", among == null ? null : among.toArray(new UUID[0])).param("filter", filter).param("limit", limit)
                .query((rs, n) -> {
                    int code = rs.getInt("error_code");
                    Integer errorCode = rs.wasNull() ? null : code;
                    return new Row(Sql.uuid(rs, "contact_id"), rs.getString("state"), rs.getString("exclusion"), rs.getString("variant"),
                            rs.getString("country") == null ? null : rs.getString("country").strip(), Sql.instant(rs, "queued_at"), Sql.instant(rs, "sent_at"),
                            Sql.instant(rs, "delivered_at"), Sql.instant(rs, "read_at"), Sql.instant(rs, "replied_at"), Sql.instant(rs, "clicked_at"),
                            Sql.instant(rs, "failed_at"), errorCode, rs.getString("error_title"), rs.getBigDecimal("cost"));
                })
                .list();
    }

    private List<Recipient> withContacts(List<Row> rows) {
        Map<UUID, Contact> people = contacts.byIds(rows.stream().map(Row::contactId).toList());
        List<Recipient> recipients = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Contact c = people.get(r.contactId());
            recipients.add(new Recipient(r.contactId(), c == null ? null : c.displayName(), c == null ? null : c.phoneE164(), r.state(),
                    r.exclusion(), r.variant(), r.country(), r.queuedAt(), r.sentAt(), r.deliveredAt(), r.readAt(), r.repliedAt(),
                    r.clickedAt(), r.failedAt(), r.errorCode(), "FAILED".equals(r.state()) ? reasons.reason(r.errorCode(), r.errorTitle()) : null,
                    r.cost()));
        }
        return recipients;
    }

    /** The contacts a search finds (at most {@value #MAX_FOUND}), or null when there is no search. */
    private List<UUID> found(String query) {
        if (query == null || query.isBlank()) {
            return null;
        }
        return contacts.search(query, null, MAX_FOUND).stream().map(Contact::id).toList();
    }

    private static String filter(String state) {
        if (state == null || state.isBlank()) {
            return "";
        }
        String filter = state.strip().toUpperCase(Locale.ROOT);
        if (!FILTERS.contains(filter)) {
            throw UserError.invalid("campaigns.funnel.filter-invalid", state, String.join(", ", FILTERS));
        }
        return filter;
    }

    private static UUID cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(cursor.strip());
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("campaigns.funnel.cursor-invalid", cursor);
        }
    }

    private void requireCampaign(UUID campaignId) {
        boolean exists = jdbc.sql("select exists (select 1 from campaigns where tenant_id = :tenant and id = :id)")
                .param("tenant", TenantContext.tenantId()).param("id", campaignId).query(Boolean.class).single();
        if (!exists) {
            throw new NotFoundException();
        }
    }

    /** The states (and REPLIED, CLICKED) a list may be filtered by. */
    public static List<String> filters() {
        return FILTERS;
    }
}
