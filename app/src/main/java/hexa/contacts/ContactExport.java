package hexa.contacts;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.identity.Member;
import hexa.identity.MemberService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Contacts as CSV, for a spreadsheet or another system: every field, one column per custom attribute, tags joined,
 * consent with its source and time. Rows are read from PostgreSQL through a cursor and written as they come, so a
 * million contacts take the memory of a thousand. Cells a spreadsheet would run as a formula are neutralised, and the
 * file starts with a byte order mark so that Excel reads it as UTF-8.
 */
@Service
public class ContactExport {

    static final String BOM = "\uFEFF";
    static final List<String> FIELDS = List.of("id", "name", "profile_name", "phone", "whatsapp_user_id", "email", "company",
            "owner_name", "owner_email", "tags", "marketing_consent", "marketing_consent_source", "marketing_consent_at", "blocked",
            "blocked_at", "created_at", "last_activity_at");
    private static final int FETCH = 1_000;

    private final JdbcClient streaming;
    private final TransactionTemplate readOnly;
    private final ContactSearch search;
    private final MemberService members;
    private final AuditTrail audit;

    ContactExport(DataSource dataSource, PlatformTransactionManager transactions, ContactSearch search, MemberService members, AuditTrail audit) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        // PostgreSQL reads a result through a cursor, a fetch at a time, only inside a transaction with a fetch size.
        template.setFetchSize(FETCH);
        this.streaming = JdbcClient.create(template);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.search = search;
        this.members = members;
        this.audit = audit;
    }

    /** A file name for the download: {@code contacts-2026-11-28.csv}. */
    public static String fileName(Instant now) {
        return "contacts-" + now.toString().substring(0, 10) + ".csv";
    }

    /** Writes every contact of the current workspace, oldest first (the whole workspace's export); answers how many. */
    public long writeAll(OutputStream out) {
        return write(ContactBulk.Target.matching(ContactFilter.EVERYONE), ContactSearch.Sort.CREATED, out);
    }

    /**
     * Writes the target's contacts, in the list's order, and records the export in the audit trail. Answers how many
     * rows were written.
     */
    public long write(ContactBulk.Target target, ContactSearch.Sort sort, OutputStream out) {
        ContactConditions where = search.conditions(target);
        List<FilterableAttribute> attributes = search.attributes();
        Map<UUID, Member> owners = new LinkedHashMap<>();
        members.members().forEach(m -> owners.put(m.userId(), m));
        String direction = sort.descending ? " desc" : "";
        String sql = "select c.*, array(select t.tag from contact_tags t where t.tenant_id = c.tenant_id and t.contact_id = c.id order by t.tag) as tags"
                + " from contacts c where " + where.sql() + " order by " + sort.key + direction + ", c.id" + direction;
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        long[] rows = {0};
        try {
            writer.write(BOM);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT);
            List<String> header = new ArrayList<>(FIELDS);
            attributes.forEach(a -> header.add(a.label()));
            csv.printRecord(header);
            readOnly.executeWithoutResult(status -> streaming.sql(sql).params(where.params()).query(rs -> {
                try {
                    Contact contact = ContactService.map(rs, 0);
                    Array tags = rs.getArray("tags");
                    csv.printRecord(cells(contact, tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()), owners.get(contact.ownerId()),
                            attributes));
                    rows[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> details = new LinkedHashMap<>(target.described());
        details.put("rows", rows[0]);
        audit.record(AuditEntry.of("contacts.exported").target("contacts", null, null).details(details));
        return rows[0];
    }

    private static List<String> cells(Contact c, List<String> tags, Member owner, List<FilterableAttribute> attributes) {
        List<String> cells = new ArrayList<>(FIELDS.size() + attributes.size());
        cells.add(c.id().toString());
        cells.add(c.name());
        cells.add(c.profileName());
        cells.add(c.phoneE164());
        cells.add(c.whatsappUserId());
        cells.add(c.email());
        cells.add(c.company());
        cells.add(owner == null ? null : owner.name());
        cells.add(owner == null ? null : owner.email());
        cells.add(String.join(", ", tags));
        cells.add(c.consent().marketing());
        cells.add(c.consent().source());
        cells.add(time(c.consent().at()));
        cells.add(c.blocked() ? "yes" : "no");
        cells.add(time(c.blockedAt()));
        cells.add(time(c.createdAt()));
        cells.add(time(c.lastActivityAt()));
        for (FilterableAttribute attribute : attributes) {
            cells.add(value(c.attributes().get(attribute.key())));
        }
        cells.replaceAll(ContactExport::neutralised);
        return cells;
    }

    private static String value(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> many) {
            return String.join(", ", many.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * A cell a spreadsheet would take for a formula (it starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or
     * a carriage return) gets a leading apostrophe, which spreadsheets show as text and do not run. Numbers in E.164
     * ({@code +91…}) get it too, which also keeps Excel from turning them into numbers.
     */
    static String neutralised(String cell) {
        return hexa.contacts.imports.SpreadsheetCells.neutralise(cell);
    }
}
