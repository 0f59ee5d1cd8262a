package hexa.contacts;

import hexa.platform.privacy.PersonExport;
import java.io.IOException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contacts module's part of a person's export: {@code contact.json} (every field and attribute, the tags, the ads
 * the person came from), {@code notes.json}, {@code consent.json} (the consent ledger, withdrawals included) and
 * {@code timeline.json} (the contact's history with the earlier values of corrected fields).
 */
@Component
class ContactsExport implements PersonExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    ContactsExport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        JsonNode contact = one("""
                select json_build_object(
                         'id', c.id, 'name', c.name, 'profileName', c.profile_name, 'addressBookName', c.address_book_name,
                         'phone', c.phone_e164, 'whatsappId', c.wa_id, 'whatsappUserId', c.whatsapp_user_id, 'email', c.email,
                         'company', c.company, 'ownerId', c.owner_id, 'attributes', c.attributes,
                         'marketingConsent', c.marketing_consent,
                         'marketingConsentSource', c.marketing_consent_source, 'marketingConsentAt', c.marketing_consent_at, 'blockedAt', c.blocked_at,
                         'createdAt', c.created_at, 'updatedAt', c.updated_at, 'lastActivityAt', c.last_activity_at,
                         'tags', array(select t.tag from contact_tags t where t.tenant_id = c.tenant_id and t.contact_id = c.id order by t.tag),
                         'sources', coalesce((select json_agg(json_build_object(
                                  'whatsappMessageId', r.wamid, 'type', r.source_type, 'adId', r.source_id, 'url', r.source_url,
                                  'headline', r.headline, 'body', r.body, 'mediaType', r.media_type, 'clickId', r.ctwa_clid,
                                  'referredAt', r.referred_at) order by r.referred_at)
                             from contact_referrals r where r.tenant_id = c.tenant_id and r.contact_id = c.id), '[]'::json))::text
                  from contacts c where c.tenant_id = :tenant and c.id = :contact
                """, tenantId, contactId);
        if (contact == null) {
            return;
        }
        sink.json("contact.json", contact);
        sink.json("notes.json", one("""
                select coalesce(json_agg(json_build_object('id', n.id, 'body', n.body, 'authorId', n.author_id,
                         'createdAt', n.created_at, 'updatedAt', n.updated_at) order by n.created_at), '[]'::json)::text
                  from contact_notes n where n.tenant_id = :tenant and n.contact_id = :contact
                """, tenantId, contactId));
        sink.json("consent.json", one("""
                select json_build_object('current', (select json_build_object('marketingConsent', c.marketing_consent, 'source', c.marketing_consent_source,
                         'at', c.marketing_consent_at) from contacts c where c.tenant_id = :tenant and c.id = :contact),
                         'history', coalesce(json_agg(json_build_object('status', e.status, 'source', e.source, 'detail', e.detail,
                         'actorId', e.actor_id, 'at', e.created_at) order by e.created_at), '[]'::json))::text
                  from contact_consent_events e where e.tenant_id = :tenant and e.contact_id = :contact
                """, tenantId, contactId));
        sink.json("timeline.json", one("""
                select coalesce(json_agg(json_build_object('kind', e.kind, 'details', e.details, 'actorId', e.actor_id,
                         'at', e.created_at) order by e.created_at), '[]'::json)::text
                  from contact_events e where e.tenant_id = :tenant and e.contact_id = :contact
                """, tenantId, contactId));
        sink.progress(1, 1);
    }

    private JsonNode one(String sql, UUID tenantId, UUID contactId) {
        return jdbc.sql(sql).param("tenant", tenantId).param("contact", contactId).query(String.class).optional()
                .map(JSON::readTree).orElse(null);
    }
}
