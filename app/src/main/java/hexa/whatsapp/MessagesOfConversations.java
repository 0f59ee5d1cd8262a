package hexa.whatsapp;

import hexa.whatsapp.media.MediaLibrary;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The channel's messages as the inbox changes the conversations they belong to: moved with their
 * conversations when two contacts are merged, and deleted with them (a contact deleted, one by one or
 * in bulk), their files, reactions, statuses and read receipts first. Runs in the caller's transaction.
 */
@Service
public class MessagesOfConversations {

    private static final String MEDIA_TYPES = "('image', 'audio', 'video', 'document', 'sticker')";

    private final JdbcClient jdbc;
    private final MediaLibrary media;

    MessagesOfConversations(JdbcClient jdbc, MediaLibrary media) {
        this.jdbc = jdbc;
        this.media = media;
    }

    /** Every message of contact {@code from} now belongs to {@code to}; answers how many moved. */
    @Transactional
    public int moveToContact(UUID tenant, UUID from, UUID to) {
        return jdbc.sql("update messages set contact_id = :to where tenant_id = :tenant and contact_id = :from")
                .param("tenant", tenant).param("from", from).param("to", to).update();
    }

    /**
     * Deletes the messages of the conversations, and any other message of the contacts, with everything
     * that hangs on them; answers how many messages went.
     */
    @Transactional
    public int deleteOf(UUID tenant, Collection<UUID> conversationIds, Collection<UUID> contactIds) {
        UUID[] ids = conversationIds.toArray(new UUID[0]);
        UUID[] contacts = contactIds.toArray(new UUID[0]);
        List<UUID> files = jdbc.sql("select id from messages where tenant_id = :tenant and conversation_id = any(:ids) and type in " + MEDIA_TYPES)
                .param("tenant", tenant).param("ids", ids).query(UUID.class).list();
        files.forEach(media::forget);
        jdbc.sql("""
                delete from message_reactions r using messages m
                 where r.tenant_id = :tenant and m.tenant_id = :tenant and m.conversation_id = any(:ids) and r.target_wamid = m.wamid
                """).param("tenant", tenant).param("ids", ids).update();
        jdbc.sql("""
                delete from message_status_events s using messages m
                 where s.tenant_id = :tenant and m.tenant_id = :tenant and m.conversation_id = any(:ids) and s.wamid = m.wamid
                """).param("tenant", tenant).param("ids", ids).update();
        if (ids.length > 0) {
            jdbc.sql("delete from whatsapp_read_receipts where tenant_id = :tenant and conversation_id = any(:ids)")
                    .param("tenant", tenant).param("ids", ids).update();
        }
        return jdbc.sql("delete from messages where tenant_id = :tenant and (conversation_id = any(:ids) or contact_id = any(:contacts))")
                .param("tenant", tenant).param("ids", ids).param("contacts", contacts).update();
    }
}
