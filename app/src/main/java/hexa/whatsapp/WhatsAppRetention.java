package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.privacy.RetentionPurge;
import hexa.whatsapp.media.MediaLibrary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The channel's part of the daily purge: messages created before the message cutoff (not of held contacts) with their
 * files, statuses, reactions and read marks; raw webhook bodies processed before their cutoff; parked changes older
 * than the logs. Deleted in batches found by index, each batch its own short transaction, so that webhooks keep being
 * acknowledged while millions of rows go. Runs in the workspace's tenant context (the media library's).
 */
@Component
class WhatsAppRetention implements RetentionPurge {

    static final int BATCH = 5_000;
    private static final String EXPIRED_MESSAGES = """
            m.tenant_id = :tenant and m.created_at < :before and not (m.contact_id = any(:held))
            """;

    private final JdbcClient jdbc;
    private final MediaLibrary media;
    private final TransactionTemplate transaction;

    WhatsAppRetention(JdbcClient jdbc, MediaLibrary media, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.media = media;
        this.transaction = transaction;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, Long> purge(Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        UUID[] held = rules.held().toArray(new UUID[0]);
        rules.messagesBefore().ifPresent(before -> {
            if (dryRun) {
                removed.put("messages", count("select count(*) from messages m where " + EXPIRED_MESSAGES, rules.tenantId(), before, held));
                removed.put("media_files", count("""
                        select count(*) from media_files f join messages m on m.tenant_id = f.tenant_id and m.id = f.message_id where
                        """ + EXPIRED_MESSAGES, rules.tenantId(), before, held));
                removed.put("message_status_events", count("""
                        select count(*) from message_status_events s join messages m on m.tenant_id = s.tenant_id and m.wamid = s.wamid where
                        """ + EXPIRED_MESSAGES, rules.tenantId(), before, held));
                removed.put("message_reactions", count("""
                        select count(*) from message_reactions r join messages m on m.tenant_id = r.tenant_id and m.wamid = r.target_wamid where
                        """ + EXPIRED_MESSAGES, rules.tenantId(), before, held));
            } else {
                while (true) {
                    Map<String, Long> batch = transaction.execute(s -> messagesBatch(rules.tenantId(), before, held));
                    batch.forEach((table, n) -> removed.merge(table, n, Long::sum));
                    if (batch.get("messages") < BATCH) {
                        break;
                    }
                }
            }
        });
        String bodies = """
                from webhook_events where tenant_id = :tenant and received_at < :before and processed_at < :before
                """;
        removed.put("webhook_events", dryRun
                ? count("select count(*) " + bodies, rules.tenantId(), rules.webhookBodiesBefore(), held)
                : inBatches("delete from webhook_events where (tenant_id, id) in (select tenant_id, id " + bodies + " limit " + BATCH + ")",
                rules.tenantId(), rules.webhookBodiesBefore()));
        String parked = "from webhook_parked_changes where tenant_id = :tenant and parked_at < :before";
        removed.put("webhook_parked_changes", dryRun
                ? count("select count(*) " + parked, rules.tenantId(), rules.logsBefore(), held)
                : inBatches("delete from webhook_parked_changes where (tenant_id, id) in (select tenant_id, id " + parked + " limit " + BATCH + ")",
                rules.tenantId(), rules.logsBefore()));
        return removed;
    }

    private Map<String, Long> messagesBatch(UUID tenant, java.time.Instant before, UUID[] held) {
        record Expired(UUID id, String wamid, String type) {
        }
        List<Expired> expired = jdbc.sql("select m.id, m.wamid, m.type from messages m where " + EXPIRED_MESSAGES
                        + " order by m.created_at limit " + BATCH + " for update skip locked")
                .param("tenant", tenant).param("before", Sql.ts(before)).param("held", held)
                .query((rs, n) -> new Expired(Sql.uuid(rs, "id"), rs.getString("wamid"), rs.getString("type"))).list();
        Map<String, Long> removed = new LinkedHashMap<>();
        if (expired.isEmpty()) {
            for (String table : List.of("messages", "media_files", "message_status_events", "message_reactions")) {
                removed.put(table, 0L);
            }
            return removed;
        }
        UUID[] ids = expired.stream().map(Expired::id).toArray(UUID[]::new);
        String[] wamids = expired.stream().map(Expired::wamid).filter(w -> w != null).toArray(String[]::new);
        List<UUID> withFiles = jdbc.sql("select message_id from media_files where tenant_id = :tenant and message_id = any(:ids)")
                .param("tenant", tenant).param("ids", ids).query(UUID.class).list();
        withFiles.forEach(media::forget);
        removed.put("media_files", (long) withFiles.size());
        removed.put("message_status_events", (long) jdbc.sql("delete from message_status_events where tenant_id = :tenant and wamid = any(:wamids)")
                .param("tenant", tenant).param("wamids", wamids).update());
        removed.put("message_reactions", (long) jdbc.sql("delete from message_reactions where tenant_id = :tenant and target_wamid = any(:wamids)")
                .param("tenant", tenant).param("wamids", wamids).update());
        jdbc.sql("delete from whatsapp_read_receipts where tenant_id = :tenant and wamid = any(:wamids)")
                .param("tenant", tenant).param("wamids", wamids).update();
        removed.put("messages", (long) jdbc.sql("delete from messages where tenant_id = :tenant and id = any(:ids)")
                .param("tenant", tenant).param("ids", ids).update());
        return removed;
    }

    private long count(String sql, UUID tenant, java.time.Instant before, UUID[] held) {
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("tenant", tenant).param("before", Sql.ts(before));
        if (sql.contains(":held")) {
            statement = statement.param("held", held);
        }
        return statement.query(Long.class).single();
    }

    private long inBatches(String delete, UUID tenant, java.time.Instant before) {
        long total = 0;
        while (true) {
            Integer n = transaction.execute(s -> jdbc.sql(delete).param("tenant", tenant).param("before", Sql.ts(before)).update());
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }
}
