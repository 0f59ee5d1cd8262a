-- A workspace's messages newest first: search reads them in this order for common words and stops after a page
-- (see InboxSearch), instead of fetching and sorting every match from the full-text index.
create index messages_by_time on messages (tenant_id, sent_at, id);
-- The newest conversations of a workspace whatever their status: search looks for a contact's name among them first.
create index conversations_by_activity on conversations (tenant_id, last_message_at desc, id desc);
