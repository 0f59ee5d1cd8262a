-- The inbox's list says "This message was deleted" when a conversation's latest message was deleted by its sender
-- (V35): the channel publishes whether a message was deleted, beside what it published before.
create or replace view published_messages as
select tenant_id, id, conversation_id, contact_id, direction, type, body, status, sent_at, created_at, deleted_at
  from messages;
