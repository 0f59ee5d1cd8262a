package hexa.privacy;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.contacts.PhoneNumbers;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.crypto.Tokens;
import hexa.platform.database.Sql;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.UserError;
import hexa.whatsapp.VerificationCodes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The public page's proof that a number is the visitor's: a six-digit code sent on WhatsApp from the workspace's number,
 * valid {@link #VALIDITY}, stored hashed, voided after {@link #MAX_ATTEMPTS} wrong tries. Asking for codes is limited per
 * number and per address. A number the workspace does not know gets no code, but the visitor is answered exactly as if
 * it had ("if this number has written to us, we sent it a code"), and their request is recorded and closed: there is
 * nothing to export or erase. Works in the page's workspace (the caller enters it).
 */
@Component
class RequestCodes {

    static final Duration VALIDITY = Duration.ofMinutes(10);
    static final int MAX_ATTEMPTS = 5;
    static final Duration LIMIT_WINDOW = Duration.ofHours(1);
    static final int PER_NUMBER = 3;
    static final int PER_ADDRESS = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final ContactService contacts;
    private final WorkspaceService workspaces;
    private final VerificationCodes codes;
    private final PrivacyRequests requests;
    private final Clock clock;
    private final TransactionTemplate sending;

    RequestCodes(JdbcClient jdbc, ContactService contacts, WorkspaceService workspaces, VerificationCodes codes, PrivacyRequests requests, Clock clock,
                 PlatformTransactionManager transactionManager) {
        this.sending = new TransactionTemplate(transactionManager);
        this.sending.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.codes = codes;
        this.requests = requests;
        this.clock = clock;
    }

    /** An attempt to prove a number: what the next step's form carries. */
    record Attempt(UUID id, String phoneNumber, PrivacyRequests.Kind kind) {
    }

    /** Sends a code to the number if the workspace knows it; answers the attempt either way. */
    Attempt start(String writtenNumber, String kind, String address) {
        PrivacyRequests.Kind chosen = PrivacyRequests.Kind.parse(kind);
        if (chosen == PrivacyRequests.Kind.ACCESS) {
            chosen = PrivacyRequests.Kind.EXPORT;
        }
        PhoneNumbers.Reading number = PhoneNumbers.read(writtenNumber, workspaces.current().defaultCountry());
        if (!number.valid()) {
            throw UserError.invalid(number.problemKey(), writtenNumber == null ? "" : writtenNumber.strip());
        }
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        String addressHash = Tokens.sha256(tenant + ":" + (address == null ? "unknown" : address));
        Instant windowStart = now.minus(LIMIT_WINDOW);
        int fromAddress = count("address_hash", addressHash, windowStart);
        int forNumber = count("phone_number", number.e164(), windowStart);
        if (fromAddress >= PER_ADDRESS || forNumber >= PER_NUMBER) {
            throw new UserError(HttpStatus.TOO_MANY_REQUESTS, "too_many_codes", "privacy.public.too-many", LIMIT_WINDOW.toMinutes());
        }
        UUID id = Ids.newId();
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        jdbc.sql("""
                insert into privacy_request_codes (tenant_id, id, phone_number, kind, address_hash, code_hash, created_at, expires_at)
                values (:tenant, :id, :number, :kind, :address, :hash, :now, :expires)
                """)
                .param("tenant", tenant).param("id", id).param("number", number.e164()).param("kind", chosen.value()).param("address", addressHash)
                .param("hash", hash(id, code)).param("now", Sql.ts(now)).param("expires", Sql.ts(now.plus(VALIDITY))).update();
        Optional<Contact> contact = contacts.byWaId(number.waId());
        if (contact.isPresent()) {
            try {
                sending.executeWithoutResult(status -> codes.send(contact.get().id(), code));
            } catch (RuntimeException e) {
                // A blocked contact, a number disconnected meanwhile: the visitor is answered the same, and can ask again.
                org.slf4j.LoggerFactory.getLogger(RequestCodes.class).warn("No verification code could be sent: {}", e.toString());
            }
        } else if (forNumber == 0) {
            // Once per window, not per click: the list shows the request, and the answer is the same as for a known number.
            requests.receive(chosen, null, number.e164(), PrivacyRequests.Source.PUBLIC_PAGE);
        }
        return new Attempt(id, number.e164(), chosen);
    }

    /** The attempt, while it can still be answered (not used, expired or voided). */
    Optional<Attempt> attempt(String id) {
        UUID attemptId;
        try {
            attemptId = UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select id, phone_number, kind from privacy_request_codes
                 where tenant_id = :tenant and id = :id and used_at is null and expires_at > :now and attempts < :max
                """)
                .param("tenant", TenantContext.tenantId()).param("id", attemptId).param("now", Sql.ts(clock.instant())).param("max", MAX_ATTEMPTS)
                .query((rs, n) -> new Attempt(Sql.uuid(rs, "id"), rs.getString("phone_number"), PrivacyRequests.Kind.parse(rs.getString("kind"))))
                .optional();
    }

    /**
     * Checks the code; a right one records the request (and applies the workspace's rule to it). A wrong one counts
     * against the attempt, in its own transaction so that the count survives the refusal.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW, noRollbackFor = UserError.class)
    PrivacyRequests.Request verify(String attemptId, String code) {
        Attempt attempt = attempt(attemptId).orElseThrow(() -> UserError.invalid("privacy.public.code-expired"));
        String given = code == null ? "" : code.replaceAll("\\s", "");
        String stored = jdbc.sql("select code_hash from privacy_request_codes where tenant_id = :tenant and id = :id for update")
                .param("tenant", TenantContext.tenantId()).param("id", attempt.id()).query(String.class).single();
        if (!Tokens.constantTimeEquals(stored, hash(attempt.id(), given))) {
            int attempts = jdbc.sql("update privacy_request_codes set attempts = attempts + 1 where tenant_id = :tenant and id = :id returning attempts")
                    .param("tenant", TenantContext.tenantId()).param("id", attempt.id()).query(Integer.class).single();
            throw UserError.invalid(attempts >= MAX_ATTEMPTS ? "privacy.public.code-voided" : "privacy.public.code-wrong");
        }
        jdbc.sql("update privacy_request_codes set used_at = :now where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", attempt.id()).param("now", Sql.ts(clock.instant())).update();
        UUID contactId = contacts.byWaId(attempt.phoneNumber().substring(1)).map(Contact::id).orElse(null);
        return requests.receive(attempt.kind(), contactId, attempt.phoneNumber(), PrivacyRequests.Source.PUBLIC_PAGE);
    }

    private int count(String column, String value, Instant since) {
        return jdbc.sql("select count(*) from privacy_request_codes where tenant_id = :tenant and " + column + " = :value and created_at > :since")
                .param("tenant", TenantContext.tenantId()).param("value", value).param("since", Sql.ts(since)).query(Integer.class).single();
    }

    private static String hash(UUID attempt, String code) {
        return Tokens.sha256(attempt + ":" + code);
    }
}
