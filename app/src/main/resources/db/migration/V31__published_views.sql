-- What a module lets other modules read of its tables, in SQL: the owner publishes a view of the columns others may
-- depend on, and only the owner writes its tables (TableOwnersTest holds every module to it). The views are plain
-- projections, which PostgreSQL inlines into the query that reads them: the owner's indexes serve the reader as
-- before (the inbox's list and search read messages and contacts this way, measured in docs/performance.md).

-- The channel's messages, as the inbox's list and search read them.
create view published_messages as
select tenant_id, id, conversation_id, contact_id, direction, type, body, status, sent_at, created_at
  from messages;

-- Contacts' names and numbers, as the inbox's search finds them.
create view published_contacts as
select tenant_id, id, name, profile_name, phone_e164, whatsapp_user_id
  from contacts;
