package hexa.inbox;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts a conversation behind many newer ones (of new contacts), as in a busy workspace, written set-based. */
final class NewerConversations {

    private NewerConversations() {
    }

    /** Makes the conversation 30 days old and gives {@code count} new contacts a conversation each, active now. */
    static void push(JdbcClient jdbc, UUID tenant, UUID conversation, int count) {
        jdbc.sql("update conversations set last_message_at = now() - interval '30 days' where tenant_id = :t and id = :c")
                .param("t", tenant).param("c", conversation).update();
        jdbc.sql("""
                insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at)
                select :t, gen_random_uuid(), 'Filler ' || n, '+9170' || lpad(n::text, 8, '0'), now(), now()
                  from generate_series(1, :count) n
                """).param("t", tenant).param("count", count).update();
        jdbc.sql("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                select k.tenant_id, gen_random_uuid(), k.id, c.connection_id, 'OPEN', now(), now()
                  from contacts k, conversations c
                 where k.tenant_id = :t and k.name like 'Filler %' and c.tenant_id = :t and c.id = :c
                """).param("t", tenant).param("c", conversation).update();
        // Fresh statistics, as a busy workspace's tables have: the planner reads these thousands of new rows as it would there.
        jdbc.sql("analyze contacts, conversations").update();
    }
}
