package hexa.whatsapp;

import hexa.platform.Ids;
import hexa.platform.database.Sql;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable inbox of webhook POSTs: written before Meta gets its 200, processed after. */
@Repository
class WebhookEvents {

    private final JdbcClient jdbc;

    WebhookEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID store(Connection connection, byte[] body, Instant receivedAt) {
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into webhook_events (tenant_id, id, connection_id, received_at, body, next_attempt_at)
                values (:tenant, :id, :connection, :at, :body, :at)
                """)
                .param("tenant", connection.tenantId()).param("id", id).param("connection", connection.id())
                .param("at", Sql.ts(receivedAt)).param("body", new String(body, StandardCharsets.UTF_8))
                .update();
        return id;
    }
}
