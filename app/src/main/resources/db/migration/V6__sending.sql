-- Outbound messages wait in the messages table itself: written as QUEUED in the same transaction
-- as the intent to send, claimed by sender workers with FOR UPDATE SKIP LOCKED.

alter table messages
    add column connection_id    uuid,
    add column attempts         int not null default 0,
    add column next_attempt_at  timestamptz,
    add column last_error       text,
    add column sent_by_kind     text check (sent_by_kind in ('USER', 'API_TOKEN', 'SYSTEM')),
    add column sent_by          uuid,
    add constraint messages_connection_fk foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id);

create index messages_to_send on messages (next_attempt_at) where status = 'QUEUED';
create index messages_inbound_by_contact on messages (tenant_id, contact_id, created_at desc) where direction = 'INBOUND';
