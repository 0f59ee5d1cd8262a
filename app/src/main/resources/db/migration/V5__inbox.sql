-- Conversations and their messages. Messages carry their creation time so that the 90-day
-- retention is an indexed delete.

create table conversations (
    tenant_id        uuid not null references workspaces (id),
    id               uuid not null,
    contact_id       uuid not null,
    connection_id    uuid not null,
    status           text not null default 'OPEN' check (status in ('OPEN', 'PENDING', 'SNOOZED', 'RESOLVED')),
    opened_at        timestamptz not null,
    last_message_at  timestamptz not null,
    last_inbound_at  timestamptz,
    resolved_at      timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id)
);
-- One conversation at a time per contact and number is not resolved.
create unique index conversations_one_live on conversations (tenant_id, contact_id, connection_id) where status <> 'RESOLVED';
create index conversations_by_activity on conversations (tenant_id, last_message_at desc, id);

create table messages (
    tenant_id             uuid not null references workspaces (id),
    id                    uuid not null,
    conversation_id       uuid not null,
    contact_id            uuid not null,
    direction             text not null check (direction in ('INBOUND', 'OUTBOUND')),
    wamid                 text,
    type                  text not null,
    body                  text,
    content               jsonb not null,
    reply_to_wamid        text,
    forwarded             boolean not null default false,
    frequently_forwarded  boolean not null default false,
    status                text not null check (status in ('RECEIVED', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'PLAYED', 'FAILED')),
    error_code            int,
    error_title           text,
    error_details         text,
    sent_at               timestamptz not null,
    status_at             timestamptz,
    created_at            timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, conversation_id) references conversations (tenant_id, id),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id)
);
create unique index messages_by_wamid on messages (tenant_id, wamid) where wamid is not null;
create index messages_by_conversation on messages (tenant_id, conversation_id, sent_at, id);
create index messages_by_age on messages (created_at);

-- Every status Meta reports, once per message and status, whatever the order of arrival; a
-- status that arrives before its message is known waits here and is applied when it is.
create table message_status_events (
    tenant_id     uuid not null references workspaces (id),
    wamid         text not null,
    status        text not null check (status in ('SENT', 'DELIVERED', 'READ', 'PLAYED', 'FAILED')),
    occurred_at   timestamptz not null,
    recipient_id  text,
    errors        jsonb,
    pricing       jsonb,
    received_at   timestamptz not null,
    primary key (tenant_id, wamid, status)
);

-- Reactions sit on the message they react to; removing one removes it.
create table message_reactions (
    tenant_id     uuid not null references workspaces (id),
    target_wamid  text not null,
    reactor       text not null,
    emoji         text not null,
    wamid         text not null,
    reacted_at    timestamptz not null,
    primary key (tenant_id, target_wamid, reactor)
);
