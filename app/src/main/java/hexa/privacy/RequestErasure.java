package hexa.privacy;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasing a person from the privacy requests: their requests stay (what was asked, when, and that it was done: the
 * business must be able to show it answered) without the contact or the number; their one-time codes go.
 */
@Component
class RequestErasure implements PersonErasure {

    private final JdbcClient jdbc;

    RequestErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        String[] numbers = person.identities().stream().map(i -> i.startsWith("+") ? i : "+" + i).toArray(String[]::new);
        long requests = jdbc.sql("""
                update privacy_requests set contact_id = null, phone_number = null, rejection_reason = null
                 where tenant_id = :tenant and (contact_id = :contact or phone_number = any(:numbers))
                """)
                .param("tenant", person.tenantId()).param("contact", person.contactId()).param("numbers", numbers).update();
        long codes = jdbc.sql("delete from privacy_request_codes where tenant_id = :tenant and phone_number = any(:numbers)")
                .param("tenant", person.tenantId()).param("numbers", numbers).update();
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("privacy_requests", requests);
        removed.put("privacy_request_codes", codes);
        return removed;
    }

    /** Before the contacts module, whose row the requests refer to. */
    @Override
    public int order() {
        return 0;
    }
}
