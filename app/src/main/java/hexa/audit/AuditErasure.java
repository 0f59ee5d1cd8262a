package hexa.audit;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit trail's part of erasing a person: its entries about them stay for what they record (the action, who did it,
 * when and from where) and lose the person's details: the target's name becomes "a person erased on …" and the details
 * are emptied. Entries about the contact are those targeting it, and any whose details name it or one of its
 * identities. The trail refuses every other change (V81).
 */
@Component
class AuditErasure implements PersonErasure {

    /** The name an anonymised entry's target gets; the trigger of V81 allows exactly this. */
    static final String ERASED = "a person erased on ";

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditErasure(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        String[] mentions = Stream.concat(person.identities().stream(), Stream.of(person.contactId().toString()))
                .map(i -> "%" + i.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%").toArray(String[]::new);
        String erased = ERASED + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        long anonymised = jdbc.sql("""
                update audit_events set target_name = :erased, details = '{}'::jsonb
                 where tenant_id = :tenant
                   and ((target_type = 'contact' and target_id = :contact)
                        or target_name like any(:mentions) or details::text like any(:mentions))
                   and (target_name is distinct from :erased or details <> '{}'::jsonb)
                """)
                .param("tenant", person.tenantId()).param("contact", person.contactId().toString()).param("mentions", mentions)
                .param("erased", erased).update();
        return Map.of("audit_events", anonymised);
    }
}
