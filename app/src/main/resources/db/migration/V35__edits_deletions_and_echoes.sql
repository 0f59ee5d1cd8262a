-- Customers (and the business, from the WhatsApp Business app) edit and delete messages they sent: the change is applied
-- to the stored message instead of being stored as a message of its own.
--   edits       the earlier versions of an edited message, oldest first: [{"text": ..., "until": ..., "wamid": ...}],
--               where "until" is when it was replaced and "wamid" the id of the edit that replaced it (which keeps a
--               retried edit from being applied twice). The current text stays in body and content.
--   edited_at   when the text shown was written (the latest edit applied); null for a message never edited.
--   deleted_at  when the sender deleted it: its body, its text or caption, its media and its earlier versions are gone,
--               and the bubble says so. Once deleted, an edit changes nothing.
--   edit_of     for an edit or a deletion whose original we did not have yet: the original's WhatsApp id. The change
--               is kept as a message of its own (the edited text, or "This message was deleted") and applied to the
--               original, and then removed, when the original arrives (webhooks can come out of order).
--   sent_from   BUSINESS_APP for a message the business sent from the WhatsApp Business app on the same number
--               (coexistence): stored from Meta's echo, never sent by us.
alter table messages
    add column edits      jsonb,
    add column edited_at  timestamptz,
    add column deleted_at timestamptz,
    add column edit_of    text,
    add column sent_from  text check (sent_from in ('BUSINESS_APP'));
create index messages_waiting_for_their_original on messages (tenant_id, edit_of) where edit_of is not null;

-- The number is also used in the WhatsApp Business app (coexistence): Meta sends the app's messages as echoes and
-- its contacts as state syncs. Switched by an Admin, or on by itself when Meta sends an echo.
alter table whatsapp_connections
    add column coexistence boolean not null default false;
