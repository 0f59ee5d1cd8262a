package hexa.inbox;

import hexa.platform.privacy.PersonExport;
import java.io.IOException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The inbox's part of a person's export: {@code conversations.json}, each conversation with its private notes and tags. */
@Component
class InboxExport implements PersonExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    InboxExport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void export(UUID tenantId, UUID contactId, Sink sink) throws IOException {
        String conversations = jdbc.sql("""
                select coalesce(json_agg(json_build_object(
                         'id', c.id, 'status', c.status, 'openedAt', c.opened_at, 'lastMessageAt', c.last_message_at,
                         'resolvedAt', c.resolved_at, 'assigneeId', c.assignee_id, 'teamId', c.team_id,
                         'tags', array(select t.tag from conversation_tags t where t.tenant_id = c.tenant_id and t.conversation_id = c.id order by t.tag),
                         'privateNotes', coalesce((select json_agg(json_build_object('id', n.id, 'body', n.body, 'authorId', n.author_id,
                                  'createdAt', n.created_at, 'editedAt', n.edited_at) order by n.created_at)
                             from conversation_notes n where n.tenant_id = c.tenant_id and n.conversation_id = c.id), '[]'::json))
                         order by c.opened_at), '[]'::json)::text
                  from conversations c where c.tenant_id = :tenant and c.contact_id = :contact
                """).param("tenant", tenantId).param("contact", contactId).query(String.class).single();
        sink.json("conversations.json", JSON.readTree(conversations));
        sink.progress(1, 1);
    }
}
