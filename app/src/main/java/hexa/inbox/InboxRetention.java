package hexa.inbox;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox's part of the daily purge, after the channel's: a conversation whose last message is before the message
 * cutoff and that has no message left goes with its notes, tags and notifications (not one of a held contact);
 * notifications older than the logs go. In batches, each its own transaction.
 */
@Component
class InboxRetention implements RetentionPurge {

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    InboxRetention(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        UUID tenant = rules.tenantId();
        UUID[] held = rules.held().toArray(new UUID[0]);
        // Notifications first: those of an expiring conversation that are old enough are counted here, in both runs.
        String notifications = "from inbox_notifications where tenant_id = :tenant and created_at < :before";
        if (dryRun) {
            removed.merge("inbox_notifications", count("select count(*) " + notifications, tenant, rules.logsBefore(), held), Long::sum);
        } else {
            long total = 0;
            while (true) {
                Integer n = transaction.execute(s -> jdbc.sql("delete from inbox_notifications where (tenant_id, id) in (select tenant_id, id "
                                + notifications + " limit 5000)")
                        .param("tenant", tenant).param("before", Sql.ts(rules.logsBefore())).update());
                total += n;
                if (n < 5000) {
                    break;
                }
            }
            removed.merge("inbox_notifications", total, Long::sum);
        }
        rules.messagesBefore().ifPresent(before -> {
            if (dryRun) {
                // The messages are still there: a conversation goes when none of its messages outlives the purge.
                String expired = """
                        select c.id from conversations c
                         where c.tenant_id = :tenant and c.last_message_at < :before and not (c.contact_id = any(:held))
                           and not exists (select 1 from published_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id
                                              and (m.created_at >= :before or m.contact_id = any(:held)))
                        """;
                removed.put("conversations", count("select count(*) from (" + expired + ") e", tenant, before, held));
                removed.put("conversation_notes", count("select count(*) from conversation_notes where tenant_id = :tenant and conversation_id in ("
                        + expired + ")", tenant, before, held));
                removed.put("conversation_tags", count("select count(*) from conversation_tags where tenant_id = :tenant and conversation_id in ("
                        + expired + ")", tenant, before, held));
            } else {
                while (true) {
                    Map<String, Long> batch = transaction.execute(s -> conversationsBatch(tenant, before, held));
                    batch.forEach((table, n) -> removed.merge(table, n, Long::sum));
                    if (batch.get("conversations") < BATCH) {
                        break;
                    }
                }
            }
        });
        return removed;
    }

    private Map<String, Long> conversationsBatch(UUID tenant, Instant before, UUID[] held) {
        List<UUID> ids = jdbc.sql("""
                        select c.id from conversations c
                         where c.tenant_id = :tenant and c.last_message_at < :before and not (c.contact_id = any(:held))
                           and not exists (select 1 from published_messages m where m.tenant_id = c.tenant_id and m.conversation_id = c.id)
                         limit %d for update of c skip locked
                        """.formatted(BATCH))
                .param("tenant", tenant).param("before", Sql.ts(before)).param("held", held).query(UUID.class).list();
        Map<String, Long> removed = new LinkedHashMap<>();
        UUID[] gone = ids.toArray(new UUID[0]);
        removed.put("conversation_notes", (long) jdbc.sql("delete from conversation_notes where tenant_id = :tenant and conversation_id = any(:ids)")
                .param("tenant", tenant).param("ids", gone).update());
        removed.put("conversation_tags", (long) jdbc.sql("delete from conversation_tags where tenant_id = :tenant and conversation_id = any(:ids)")
                .param("tenant", tenant).param("ids", gone).update());
        // Their notifications go with them (on delete cascade); counted with the logs' only when they expire on their own.
        removed.put("conversations", (long) jdbc.sql("delete from conversations where tenant_id = :tenant and id = any(:ids)")
                .param("tenant", tenant).param("ids", gone).update());
        return removed;
    }

    private long count(String sql, UUID tenant, Instant before, UUID[] held) {
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("tenant", tenant).param("before", Sql.ts(before));
        if (sql.contains(":held")) {
            statement = statement.param("held", held);
        }
        return statement.query(Long.class).single();
    }
}
