package hexa.whatsapp.media;

import hexa.platform.database.AfterCommit;
import hexa.whatsapp.InboundMessagesReceived;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every media message a customer sends (or the business sends from the WhatsApp Business app) gets its {@code media_files} row (to download) in the transaction that
 * stores the message, set-based over the batch: it listens to the channel's {@link InboundMessagesReceived} in
 * the publishing transaction (replacing the database trigger of V7, removed in V30), then wakes the fetcher once
 * the rows are committed.
 */
@Component
class InboundMediaFiles {


    private final JdbcClient jdbc;
    private final MediaFetcher fetcher;

    InboundMediaFiles(JdbcClient jdbc, MediaFetcher fetcher) {
        this.jdbc = jdbc;
        this.fetcher = fetcher;
    }

    @EventListener
    void on(InboundMessagesReceived received) {
        UUID[] media = received.messages().stream().filter(m -> m.type().isMedia())
                .map(InboundMessagesReceived.Message::messageId).toArray(UUID[]::new);
        if (media.length == 0) {
            return;
        }
        fetch(received.tenantId(), media);
    }

    /** What the business sent from the WhatsApp Business app is fetched from Meta as a customer's media is. */
    @EventListener
    void on(hexa.whatsapp.MessageSentFromBusinessApp echoed) {
        if (echoed.type().isMedia()) {
            fetch(echoed.tenantId(), new UUID[] {echoed.messageId()});
        }
    }

    private void fetch(UUID tenant, UUID[] media) {
        jdbc.sql("""
                insert into media_files (tenant_id, message_id, kind, media_id, mime_type, declared_sha256, filename,
                                         state, next_attempt_at, created_at)
                select m.tenant_id, m.id, m.type,
                       nullif(btrim(m.content -> m.type ->> 'id'), ''),
                       nullif(btrim(m.content -> m.type ->> 'mime_type'), ''),
                       nullif(btrim(m.content -> m.type ->> 'sha256'), ''),
                       nullif(m.content -> m.type ->> 'filename', ''),
                       'PENDING', m.created_at, m.created_at
                  from messages m
                 where m.tenant_id = :tenant and m.id = any(:ids)
                on conflict do nothing
                """)
                .param("tenant", tenant).param("ids", media).update();
        AfterCommit.run(fetcher::wake);
    }
}
