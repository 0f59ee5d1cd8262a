package hexa.contacts.imports;

import hexa.contacts.ConsentService;
import hexa.contacts.ContactEvents;
import hexa.contacts.ContactsChanged;
import hexa.contacts.ContactsCreated;
import hexa.contacts.ContactsTagged;
import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one chunk of an import's rows into the contacts, set-based: a fixed handful of statements
 * whatever the chunk's size (look up the numbers, insert the new contacts, update the known ones, add
 * tags, record consent and its history, note the import on each contact's timeline). Called inside
 * the chunk's transaction, in the import's workspace.
 */
@Component
class ImportWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ConsentService consent;

    private final ApplicationEventPublisher publisher;

    private final ContactEvents timeline;

    ImportWriter(JdbcClient jdbc, ConsentService consent, ContactEvents timeline, ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.consent = consent;
        this.timeline = timeline;
    }

    /** The run an import is in: its workspace, its options, its attributes. */
    record Job(UUID tenant, UUID importId, String fileName, UUID actorId, List<String> tags, String consentDetail,
               Map<String, ImportRows.Attribute> attributes) {
    }

    /** What a chunk did. */
    record Outcome(int created, int updated, List<ImportRows.Problem> problems) {
    }

    /**
     * Applies the candidates (one per number in this chunk; {@code duplicates} holds those whose number
     * an earlier chunk already imported: they update that contact and count as merged, not again).
     */
    Outcome write(Job job, List<ImportRows.Candidate> candidates, Set<ImportRows.Candidate> duplicates, Instant now) {
        List<ImportRows.Problem> problems = new ArrayList<>();
        if (candidates.isEmpty()) {
            return new Outcome(0, 0, problems);
        }
        Map<String, UUID> existing = contactsByPhone(job.tenant(), candidates.stream().map(c -> c.phone).toList());
        candidates = refuseTakenUserIds(job, candidates, existing, problems);

        List<ImportRows.Candidate> creating = new ArrayList<>();
        Map<ImportRows.Candidate, UUID> ids = new HashMap<>();
        for (ImportRows.Candidate candidate : candidates) {
            UUID id = existing.get(candidate.phone);
            if (id != null) {
                ids.put(candidate, id);
                continue;
            }
            ImportRows.Attribute missing = ImportRows.missingRequired(candidate, job.attributes());
            if (missing != null) {
                problems.add(ImportRows.Problem.rejected(candidate.row, candidate.written, "contacts.import.row.missing-required",
                        missing.label()));
                continue;
            }
            creating.add(candidate);
        }

        Set<ImportRows.Candidate> created = insert(job, creating, ids, now);
        // Someone (a customer writing, a person adding them) created a contact with one of these numbers meanwhile: update it.
        List<ImportRows.Candidate> lost = creating.stream().filter(c -> !created.contains(c)).toList();
        if (!lost.isEmpty()) {
            Map<String, UUID> raced = contactsByPhone(job.tenant(), lost.stream().map(c -> c.phone).toList());
            for (ImportRows.Candidate candidate : lost) {
                UUID id = raced.get(candidate.phone);
                if (id != null) {
                    ids.put(candidate, id);
                } else {
                    problems.add(ImportRows.Problem.rejected(candidate.row, candidate.userId, "contacts.import.row.user-id-taken",
                            candidate.userId == null ? "" : candidate.userId));
                }
            }
        }
        List<ImportRows.Candidate> updating = ids.keySet().stream().filter(c -> !created.contains(c)).toList();
        update(job, updating, ids, now);
        addTags(job, ids, now);
        recordConsent(job, ids, problems, now);
        noteOnTimeline(job, ids, created, duplicates, now);

        int updatedCount = (int) updating.stream().filter(c -> !duplicates.contains(c)).count();
        int createdCount = (int) created.stream().filter(c -> !duplicates.contains(c)).count();
        return new Outcome(createdCount, updatedCount, problems);
    }

    private Map<String, UUID> contactsByPhone(UUID tenant, List<String> phones) {
        Map<String, UUID> found = new HashMap<>();
        jdbc.sql("select id, phone_e164 from contacts where tenant_id = :tenant and phone_e164 = any(:phones)")
                .param("tenant", tenant).param("phones", phones.toArray(new String[0]))
                .query((rs, n) -> found.put(rs.getString("phone_e164"), Sql.uuid(rs, "id"))).list();
        return found;
    }

    /** A WhatsApp user id belongs to one contact: a row giving one that another number's contact has is refused. */
    private List<ImportRows.Candidate> refuseTakenUserIds(Job job, List<ImportRows.Candidate> candidates, Map<String, UUID> existing,
                                                          List<ImportRows.Problem> problems) {
        List<String> userIds = candidates.stream().filter(c -> c.userId != null).map(c -> c.userId).toList();
        if (userIds.isEmpty()) {
            return candidates;
        }
        Map<String, UUID> owners = new HashMap<>();
        jdbc.sql("select id, whatsapp_user_id from contacts where tenant_id = :tenant and whatsapp_user_id = any(:ids)")
                .param("tenant", job.tenant()).param("ids", userIds.toArray(new String[0]))
                .query((rs, n) -> owners.put(rs.getString("whatsapp_user_id"), Sql.uuid(rs, "id"))).list();
        List<ImportRows.Candidate> kept = new ArrayList<>();
        for (ImportRows.Candidate candidate : candidates) {
            UUID owner = candidate.userId == null ? null : owners.get(candidate.userId);
            if (owner != null && !owner.equals(existing.get(candidate.phone))) {
                problems.add(ImportRows.Problem.rejected(candidate.row, candidate.userId, "contacts.import.row.user-id-taken", candidate.userId));
            } else {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private Set<ImportRows.Candidate> insert(Job job, List<ImportRows.Candidate> creating, Map<ImportRows.Candidate, UUID> ids, Instant now) {
        Set<ImportRows.Candidate> created = new HashSet<>();
        if (creating.isEmpty()) {
            return created;
        }
        JsonRows rows = new JsonRows();
        Map<UUID, ImportRows.Candidate> byId = new HashMap<>();
        for (ImportRows.Candidate c : creating) {
            UUID id = Ids.newId();
            byId.put(id, c);
            rows.add().put("id", id).put("name", c.name).put("phone", c.phone).put("user_id", c.userId).put("email", c.email)
                    .put("company", c.company).put("attributes", JSON.writeValueAsString(c.attributes));
        }
        jdbc.sql("""
                insert into contacts (tenant_id, id, name, phone_e164, whatsapp_user_id, email, company, attributes, created_at, updated_at)
                select :tenant, r.id, r.name, r.phone, r.user_id, r.email, r.company, cast(r.attributes as jsonb), :now, :now
                  from json_to_recordset(cast(:rows as json)) as r(id uuid, name text, phone text, user_id text, email text, company text, attributes text)
                on conflict do nothing
                returning id
                """)
                .param("tenant", job.tenant()).param("rows", rows.json()).param("now", Sql.ts(now))
                .query((rs, n) -> Sql.uuid(rs, "id")).list()
                .forEach(id -> {
                    ImportRows.Candidate candidate = byId.get(id);
                    created.add(candidate);
                    ids.put(candidate, id);
                });
        if (!created.isEmpty()) {
            publisher.publishEvent(new ContactsCreated(job.tenant(), created.stream().map(ids::get).toList(), "import"));
        }
        return created;
    }

    private void update(Job job, List<ImportRows.Candidate> updating, Map<ImportRows.Candidate, UUID> ids, Instant now) {
        if (updating.isEmpty()) {
            return;
        }
        JsonRows rows = new JsonRows();
        for (ImportRows.Candidate c : updating) {
            rows.add().put("id", ids.get(c)).put("name", c.name).put("user_id", c.userId).put("email", c.email).put("company", c.company)
                    .put("attributes", JSON.writeValueAsString(c.attributes));
        }
        List<UUID> changed = jdbc.sql("""
                update contacts c
                   set name = coalesce(r.name, c.name), email = coalesce(r.email, c.email), company = coalesce(r.company, c.company),
                       whatsapp_user_id = coalesce(c.whatsapp_user_id, r.user_id),
                       attributes = c.attributes || cast(r.attributes as jsonb), updated_at = :now
                  from json_to_recordset(cast(:rows as json)) as r(id uuid, name text, user_id text, email text, company text, attributes text)
                 where c.tenant_id = :tenant and c.id = r.id
                returning c.id
                """)
                .param("tenant", job.tenant()).param("rows", rows.json()).param("now", Sql.ts(now))
                .query(UUID.class).list();
        if (!changed.isEmpty()) {
            publisher.publishEvent(new ContactsChanged(job.tenant(), changed, Set.of("import")));
        }
    }

    private void addTags(Job job, Map<ImportRows.Candidate, UUID> ids, Instant now) {
        JsonRows rows = new JsonRows();
        ids.forEach((candidate, id) -> {
            Set<String> tags = new LinkedHashSet<>(job.tags());
            tags.addAll(candidate.tags);
            tags.forEach(tag -> rows.add().put("id", id).put("tag", tag));
        });
        if (rows.isEmpty()) {
            return;
        }
        jdbc.sql("""
                insert into contact_tags (tenant_id, contact_id, tag, created_at)
                select :tenant, r.id, r.tag, :now from json_to_recordset(cast(:rows as json)) as r(id uuid, tag text)
                on conflict do nothing
                returning contact_id, tag
                """)
                .param("tenant", job.tenant()).param("rows", rows.json()).param("now", Sql.ts(now))
                .query((rs, n) -> Map.entry(rs.getString("tag"), Sql.uuid(rs, "contact_id"))).list().stream()
                .collect(java.util.stream.Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        java.util.stream.Collectors.mapping(Map.Entry::getValue, java.util.stream.Collectors.toList())))
                .forEach((tag, tagged) -> publisher.publishEvent(new ContactsTagged(job.tenant(), tagged, tag)));
    }

    /**
     * The consent column: "yes" opts in, "no" opts out, with source {@code import}; the current state
     * on the contact and a row of its history are written together, only where the state changes. A
     * person who opted out themselves (by keyword) is not opted back in by a file: that row says so.
     */
    private void recordConsent(Job job, Map<ImportRows.Candidate, UUID> ids, List<ImportRows.Problem> problems, Instant now) {
        Map<UUID, ConsentService.Status> wanted = new HashMap<>();
        Map<UUID, ImportRows.Candidate> byId = new HashMap<>();
        ids.forEach((candidate, id) -> {
            if (candidate.consent != null) {
                wanted.put(id, ConsentService.Status.parse(candidate.consent).orElseThrow());
                byId.put(id, candidate);
            }
        });
        String detail = job.consentDetail() == null || job.consentDetail().isBlank()
                ? job.fileName() : job.fileName() + ": " + job.consentDetail();
        ConsentService.Recorded recorded = consent.recordEach(job.tenant(), wanted, ConsentService.Source.IMPORT, job.actorId(),
                detail.length() > ConsentService.MAX_DETAIL ? detail.substring(0, ConsentService.MAX_DETAIL) : detail, true, now);
        for (UUID id : recorded.keptOptedOut()) {
            ImportRows.Candidate candidate = byId.get(id);
            problems.add(new ImportRows.Problem(candidate.row, "kept", candidate.written, "contacts.import.row.opted-out-by-keyword", List.of()));
        }
    }

    /** Each contact's timeline says it came from (or was updated by) this import. */
    private void noteOnTimeline(Job job, Map<ImportRows.Candidate, UUID> ids, Set<ImportRows.Candidate> created,
                                Set<ImportRows.Candidate> duplicates, Instant now) {
        Map<UUID, Map<String, Object>> lines = new LinkedHashMap<>();
        ids.forEach((candidate, id) -> {
            if (!duplicates.contains(candidate)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("importId", job.importId().toString());
                details.put("file", job.fileName());
                details.put("row", candidate.row);
                details.put("outcome", created.contains(candidate) ? "created" : "updated");
                lines.put(id, details);
            }
        });
        timeline.recordEach(job.tenant(), job.actorId(), now, "imported", lines);
    }
}
