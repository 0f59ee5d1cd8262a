package hexa.whatsapp;

import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.whatsapp.media.MediaLibrary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The channel's part of erasing a person: their messages with the files (blobs deleted after the commit), reactions,
 * statuses and read receipts that hang on them, reactions and statuses that name them by WhatsApp id, the raw webhook
 * bodies and parked changes that carry one of their identities as a JSON string, and the stored answers to API
 * requests that name the contact.
 */
@Component
class WhatsAppErasure implements PersonErasure {

    private final JdbcClient jdbc;
    private final MediaLibrary media;

    WhatsAppErasure(JdbcClient jdbc, MediaLibrary media) {
        this.jdbc = jdbc;
        this.media = media;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        UUID tenant = person.tenantId();
        UUID contact = person.contactId();
        String[] identities = person.identities().toArray(new String[0]);
        // A JSON string value equal to an identity: "16505550004" with its quotes, so that a longer number does not match.
        String[] quoted = person.identities().stream().map(i -> "%\"" + likeEscaped(i) + "\"%").toArray(String[]::new);
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("media_files", (long) media.forgetAllOfContact(tenant, contact));
        // Each by the person's messages (an index probe per message) and by their WhatsApp id, apart: an "or" of the two
        // would read every row of the workspace.
        removed.put("message_reactions", (long) jdbc.sql("""
                delete from message_reactions r using messages m
                 where r.tenant_id = :tenant and m.tenant_id = :tenant and m.contact_id = :contact and r.target_wamid = m.wamid
                """).param("tenant", tenant).param("contact", contact).update()
                + jdbc.sql("delete from message_reactions where tenant_id = :tenant and reactor = any(:identities)")
                .param("tenant", tenant).param("identities", identities).update());
        removed.put("message_status_events", (long) jdbc.sql("""
                delete from message_status_events s using messages m
                 where s.tenant_id = :tenant and m.tenant_id = :tenant and m.contact_id = :contact and s.wamid = m.wamid
                """).param("tenant", tenant).param("contact", contact).update()
                + jdbc.sql("delete from message_status_events where tenant_id = :tenant and recipient_id = any(:identities)")
                .param("tenant", tenant).param("identities", identities).update());
        removed.put("whatsapp_read_receipts", (long) jdbc.sql("""
                delete from whatsapp_read_receipts r
                 where r.tenant_id = :tenant
                   and (r.conversation_id in (select distinct m.conversation_id from messages m where m.tenant_id = :tenant and m.contact_id = :contact)
                        or r.wamid in (select m.wamid from messages m where m.tenant_id = :tenant and m.contact_id = :contact and m.wamid is not null))
                """).param("tenant", tenant).param("contact", contact).update());
        removed.put("messages", (long) jdbc.sql("delete from messages where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", tenant).param("contact", contact).update());
        removed.put("webhook_events", quoted.length == 0 ? 0L : (long) jdbc.sql("delete from webhook_events where tenant_id = :tenant and body like any(:quoted)")
                .param("tenant", tenant).param("quoted", quoted).update());
        removed.put("webhook_parked_changes", quoted.length == 0 ? 0L : (long) jdbc.sql("""
                delete from webhook_parked_changes where tenant_id = :tenant and item::text like any(:quoted)
                """).param("tenant", tenant).param("quoted", quoted).update());
        removed.put("api_idempotency_keys", (long) jdbc.sql("delete from api_idempotency_keys where tenant_id = :tenant and body like :contact")
                .param("tenant", tenant).param("contact", "%" + contact + "%").update());
        return removed;
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
