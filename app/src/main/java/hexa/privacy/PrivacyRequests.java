package hexa.privacy;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.contacts.Contact;
import hexa.contacts.ConsentService;
import hexa.contacts.ContactService;
import hexa.contacts.PhoneNumbers;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.crypto.Tokens;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.PublicUrl;
import hexa.whatsapp.DownloadLinks;
import hexa.platform.web.UserError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person's requests about their data (access, export, erasure, withdrawing marketing consent), whichever way they came: the public privacy page,
 * a member recording one on the person's behalf, Meta's data deletion callback. Each is due some days after it was
 * received (the workspace's due period); an Owner or Admin approves it (the export starts, or the person is erased)
 * or rejects it with a reason, unless the workspace's rule approves requests from the public page automatically.
 * Works in the current workspace; callers check {@code HANDLE_PERSONAL_DATA}.
 */
@Service
public class PrivacyRequests {

    public static final int PAGE_SIZE = 25;
    /** How long a finished export stays downloadable from the request's status page. */
    public static final Duration DOWNLOADABLE = Duration.ofHours(24);

    public enum Kind {
        ACCESS, EXPORT, ERASURE,
        /** Withdrawing marketing consent: done at once, whatever the rule, as easy as giving it was. */
        CONSENT;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.value().equals(value == null ? "" : value.strip())) {
                    return kind;
                }
            }
            throw UserError.invalid("privacy.requests.kind-invalid");
        }
    }

    public enum Source {
        PUBLIC_PAGE, MEMBER, META_CALLBACK;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum State {
        AWAITING_APPROVAL, APPROVED, DONE, REJECTED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean open() {
            return this == AWAITING_APPROVAL || this == APPROVED;
        }

        public static Optional<State> parse(String value) {
            for (State state : values()) {
                if (state.value().equals(value)) {
                    return Optional.of(state);
                }
            }
            return Optional.empty();
        }
    }

    /** What became of a request (a message key under {@code privacy.requests.outcome.}). */
    public enum Outcome {
        UNKNOWN_NUMBER, EXPORT_STARTED, EXPORT_READY, ERASED, CONSENT_WITHDRAWN;

        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Outcome parse(String value) {
            return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public record Request(UUID id, Kind kind, UUID contactId, String phoneNumber, Source source, State state, Instant receivedAt, Instant dueAt,
                          String recordedByName, String decidedByName, Instant decidedAt, String rejectionReason, Outcome outcome, UUID exportJobId,
                          Instant doneAt, String confirmationCode) {

        public boolean overdue(Instant now) {
            return state.open() && dueAt.isBefore(now);
        }

        /** A finished export the person may still download from the status page. */
        public boolean downloadable(Instant now) {
            return outcome == Outcome.EXPORT_READY && doneAt != null && doneAt.plus(DOWNLOADABLE).isAfter(now);
        }
    }

    /** One page of the list. */
    public record Listing(List<Request> items, int page, boolean hasNext) {
    }

    private final JdbcClient jdbc;
    private final PublicPages pages;
    private final ContactService contacts;
    private final WorkspaceService workspaces;
    private final PersonExports exports;
    private final PersonErasures erasures;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final TransactionTemplate separately;
    private final DownloadLinks links;
    private final ConsentService consent;
    private final PublicUrl publicUrl;

    PrivacyRequests(JdbcClient jdbc, PublicPages pages, ContactService contacts, WorkspaceService workspaces, PersonExports exports,
                    PersonErasures erasures, AuditTrail audit, Clock clock, PlatformTransactionManager transactionManager, DownloadLinks links,
                    PublicUrl publicUrl, ConsentService consent) {
        this.consent = consent;
        this.transactions = new TransactionTemplate(transactionManager);
        this.separately = new TransactionTemplate(transactionManager);
        this.separately.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.links = links;
        this.publicUrl = publicUrl;
        this.jdbc = jdbc;
        this.pages = pages;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.exports = exports;
        this.erasures = erasures;
        this.audit = audit;
        this.clock = clock;
    }

    /** A member records a request a person made to them (by phone, in a shop, by mail), for the number they gave. */
    @Transactional
    public Request recordForPerson(String kind, String writtenNumber) {
        Kind chosen = Kind.parse(kind);
        PhoneNumbers.Reading number = PhoneNumbers.read(writtenNumber, workspaces.current().defaultCountry());
        if (!number.valid()) {
            throw UserError.invalid(number.problemKey(), writtenNumber == null ? "" : writtenNumber.strip());
        }
        return receive(chosen, contacts.byWaId(number.waId()).map(Contact::id).orElse(null), number.e164(), Source.MEMBER);
    }

    /**
     * Records a request received now. One for a person the workspace does not know ({@code contactId} null) is closed
     * at once: there is nothing to export or erase.
     */
    @Transactional
    public Request receive(Kind kind, UUID contactId, String phoneNumber, Source source) {
        UUID tenant = TenantContext.tenantId();
        Actor actor = TenantContext.actor();
        Instant now = clock.instant();
        UUID id = Ids.newId();
        boolean nothingToDo = contactId == null;
        jdbc.sql("""
                insert into privacy_requests (tenant_id, id, kind, contact_id, phone_number, source, state, received_at, due_at,
                    recorded_by_name, outcome, done_at, confirmation_code)
                values (:tenant, :id, :kind, :contact, :number, :source, :state, :now, :due, :by, :outcome, :done, :code)
                """)
                .param("tenant", tenant).param("id", id).param("kind", kind.value()).param("contact", contactId).param("number", phoneNumber)
                .param("source", source.value()).param("state", (nothingToDo ? State.DONE : State.AWAITING_APPROVAL).value())
                .param("now", Sql.ts(now)).param("due", Sql.ts(now.plus(Duration.ofDays(pages.dueDays()))))
                .param("by", source == Source.MEMBER ? actor.name() : null)
                .param("outcome", nothingToDo ? Outcome.UNKNOWN_NUMBER.value() : null).param("done", nothingToDo ? Sql.ts(now) : null)
                .param("code", Tokens.random(12)).update();
        audit.record(AuditEntry.of("privacy.request_received").target("privacy_request", id, null)
                .details(Map.of("kind", kind.value(), "source", source.value(), "knownPerson", !nothingToDo)));
        return byId(id);
    }

    /** Applies the workspace's rule to a request from the public page or Meta: approved at once when it is automatic. */
    public Request followRule(Request request) {
        boolean automatic = request.kind() == Kind.CONSENT || pages.settings().rule() == PublicPages.Rule.AUTOMATIC;
        if (request.state() != State.AWAITING_APPROVAL || !automatic) {
            return request;
        }
        try {
            return transactions.execute(status -> approve(request.id()));
        } catch (RuntimeException e) {
            // It stays awaiting approval, where an Owner or Admin sees it and can try again.
            org.slf4j.LoggerFactory.getLogger(PrivacyRequests.class).warn("Request {} could not be approved automatically: {}", request.id(), e.toString());
            return byId(request.id());
        }
    }

    /**
     * Approves a request awaiting approval and does what it asks: an export starts (done when the file is ready), or
     * the person is erased (done at once). Audited. Nothing changes when doing it fails.
     */
    @Transactional
    public Request approve(UUID id) {
        Request request = byId(id);
        if (request.state() != State.AWAITING_APPROVAL) {
            throw UserError.conflict("privacy.requests.not-awaiting");
        }
        Actor actor = TenantContext.actor();
        Instant now = clock.instant();
        State state;
        Outcome outcome;
        UUID job = null;
        if (request.contactId() == null) {
            state = State.DONE;
            outcome = Outcome.UNKNOWN_NUMBER;
        } else if (request.kind() == Kind.CONSENT) {
            consent.record(request.contactId(), ConsentService.Status.OPTED_OUT, ConsentService.Source.FORM, "privacy request " + request.confirmationCode());
            state = State.DONE;
            outcome = Outcome.CONSENT_WITHDRAWN;
        } else if (request.kind() == Kind.ERASURE) {
            erasures.erase(request.contactId(), "privacy request " + request.confirmationCode());
            state = State.DONE;
            outcome = Outcome.ERASED;
        } else {
            job = exports.start(request.contactId()).id();
            state = State.APPROVED;
            outcome = Outcome.EXPORT_STARTED;
        }
        jdbc.sql("""
                update privacy_requests set state = :state, decided_by = :by, decided_by_name = :name, decided_at = :now, outcome = :outcome,
                       export_job_id = :job, done_at = :done
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("state", state.value()).param("by", actor.userId())
                .param("name", actor.name()).param("now", Sql.ts(now)).param("outcome", outcome.value()).param("job", job)
                .param("done", state == State.DONE ? Sql.ts(now) : null).update();
        audit.record(AuditEntry.of("privacy.request_approved").target("privacy_request", id, null)
                .details(Map.of("kind", request.kind().value(), "outcome", outcome.value())));
        return byId(id);
    }

    /** Rejects a request awaiting approval, with the reason the person is told on the status page. Audited. */
    @Transactional
    public Request reject(UUID id, String reason) {
        Request request = byId(id);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw UserError.invalid("privacy.requests.reason-required");
        }
        if (why.length() > 1000) {
            throw UserError.invalid("privacy.requests.reason-too-long");
        }
        if (request.state() != State.AWAITING_APPROVAL) {
            throw UserError.conflict("privacy.requests.not-awaiting");
        }
        Actor actor = TenantContext.actor();
        jdbc.sql("""
                update privacy_requests set state = 'rejected', decided_by = :by, decided_by_name = :name, decided_at = :now, rejection_reason = :reason
                 where tenant_id = :tenant and id = :id
                """)
                .param("tenant", TenantContext.tenantId()).param("id", id).param("by", actor.userId()).param("name", actor.name())
                .param("now", Sql.ts(clock.instant())).param("reason", why).update();
        audit.record(AuditEntry.of("privacy.request_rejected").target("privacy_request", id, null)
                .details(Map.of("kind", request.kind().value(), "reason", why)));
        return byId(id);
    }

    /**
     * An approved export whose file is ready is done: the status page then offers it for {@link #DOWNLOADABLE}.
     * Checked whenever a request is read for a page, so no schedule is needed.
     */
    @Transactional
    public Request refresh(Request request) {
        if (request.state() != State.APPROVED || request.exportJobId() == null) {
            return request;
        }
        Optional<PersonExports.Job> job = exports.job(request.exportJobId());
        if (job.isEmpty() || job.get().finishedAt() == null || !"done".equalsIgnoreCase(job.get().status())) {
            return request;
        }
        int changed = jdbc.sql("update privacy_requests set state = 'done', outcome = :outcome, done_at = :done where tenant_id = :tenant and id = :id and state = 'approved'")
                .param("tenant", TenantContext.tenantId()).param("id", request.id()).param("outcome", Outcome.EXPORT_READY.value())
                .param("done", Sql.ts(job.get().finishedAt())).update();
        if (changed == 1 && request.contactId() != null) {
            sendLink(request);
        }
        return byId(request.id());
    }

    /** The contact Meta's data deletion callback means: its user id, when it is a contact's WhatsApp id. */
    public Optional<UUID> contactOfMetaUser(String userId) {
        if (userId == null || !userId.matches("[0-9]{6,20}")) {
            return Optional.empty();
        }
        return contacts.byWaId(userId).map(Contact::id);
    }

    /**
     * Tells the person on WhatsApp that their export is ready, with the link to the request's status page (where the
     * download is, for {@link #DOWNLOADABLE}). Sent in a transaction of its own: a message that cannot go (a blocked
     * contact, no number) leaves the request done, its status page still offering the file.
     */
    private void sendLink(Request request) {
        String link = publicUrl.shown() + pages.settings().path() + "/requests/" + request.confirmationCode();
        try {
            separately.executeWithoutResult(status -> links.send(request.contactId(), workspaces.current().name(), link));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PrivacyRequests.class).warn("The download link of request {} was not sent: {}", request.id(), e.toString());
        }
    }

    /** The approved export requests of every workspace, for the sweep that finds the finished ones. */
    List<Map.Entry<UUID, UUID>> approvedExports() {
        return jdbc.sql("select tenant_id, id from privacy_requests where state = 'approved' and export_job_id is not null limit 1000")
                .query((rs, n) -> Map.entry(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"))).list();
    }

    /** A request of the current workspace. */
    public Request byId(UUID id) {
        return jdbc.sql("select * from privacy_requests where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(PrivacyRequests::map).optional()
                .orElseThrow(NotFoundException::new);
    }

    /** The request with this confirmation code in the current workspace (the status page's address). */
    public Optional<Request> byCode(String code) {
        if (code == null || code.isBlank() || code.length() > 64) {
            return Optional.empty();
        }
        return jdbc.sql("select * from privacy_requests where tenant_id = :tenant and confirmation_code = :code")
                .param("tenant", TenantContext.tenantId()).param("code", code).query(PrivacyRequests::map).optional();
    }

    /** Open requests first (the soonest due first), then the closed ones, newest first; optionally of one state. */
    public Listing list(Optional<State> state, int page) {
        int from = Math.max(0, page) * PAGE_SIZE;
        List<Request> rows = jdbc.sql("""
                select * from privacy_requests
                 where tenant_id = :tenant and (cast(:state as text) is null or state = :state)
                 order by case when state in ('awaiting_approval', 'approved') then 0 else 1 end,
                          case when state in ('awaiting_approval', 'approved') then due_at end asc,
                          received_at desc, id
                 limit :limit offset :offset
                """)
                .param("tenant", TenantContext.tenantId()).param("state", state.map(State::value).orElse(null))
                .param("limit", PAGE_SIZE + 1).param("offset", from).query(PrivacyRequests::map).list();
        boolean more = rows.size() > PAGE_SIZE;
        return new Listing(more ? rows.subList(0, PAGE_SIZE) : rows, Math.max(0, page), more);
    }

    /** How many open requests are past their due date. */
    public int overdueCount() {
        return jdbc.sql("select count(*) from privacy_requests where tenant_id = :tenant and state in ('awaiting_approval', 'approved') and due_at < :now")
                .param("tenant", TenantContext.tenantId()).param("now", Sql.ts(clock.instant())).query(Integer.class).single();
    }

    private static Request map(ResultSet rs, int n) throws SQLException {
        return new Request(Sql.uuid(rs, "id"), Kind.parse(rs.getString("kind")), Sql.uuid(rs, "contact_id"), rs.getString("phone_number"),
                Source.valueOf(rs.getString("source").toUpperCase(Locale.ROOT)), State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                Sql.instant(rs, "received_at"), Sql.instant(rs, "due_at"), rs.getString("recorded_by_name"), rs.getString("decided_by_name"),
                Sql.instant(rs, "decided_at"), rs.getString("rejection_reason"), Outcome.parse(rs.getString("outcome")), Sql.uuid(rs, "export_job_id"),
                Sql.instant(rs, "done_at"), rs.getString("confirmation_code"));
    }
}
