-- The WhatsApp channel: connected numbers and the webhook events Meta sends for them.

create table whatsapp_connections (
    tenant_id              uuid not null references workspaces (id),
    id                     uuid not null,
    kind                   text not null check (kind in ('META', 'SANDBOX')),
    app_id                 text not null,
    app_secret_sealed      text not null,
    access_token_sealed    text not null,
    waba_id                text not null,
    phone_number_id        text not null,
    display_phone_number   text not null,
    verified_name          text,
    graph_url              text not null,
    callback_key           text not null,
    verify_token_sealed    text not null,
    status                 text not null check (status in ('CONNECTED', 'NEEDS_ATTENTION', 'DISCONNECTED')),
    status_detail          text,
    checked_at             timestamptz,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, callback_key)
);
-- A number may be disconnected and connected again; only one live connection per number.
create unique index whatsapp_connections_live_number on whatsapp_connections (tenant_id, phone_number_id)
    where status <> 'DISCONNECTED';

-- A phone number belongs to one workspace at a time. This small global table is the routing
-- table that enforces it (a unique constraint across tenants cannot live in a tenant table).
create table whatsapp_numbers (
    phone_number_id  text primary key,
    tenant_id        uuid not null references workspaces (id),
    connection_id    uuid not null,
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id) on delete cascade
);

-- Every signed webhook POST, stored as received before it is acknowledged, then processed.
create table webhook_events (
    tenant_id        uuid not null,
    id               uuid not null,
    connection_id    uuid not null,
    received_at      timestamptz not null,
    body             text not null,
    processed_at     timestamptz,
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    primary key (tenant_id, id),
    foreign key (tenant_id) references workspaces (id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id)
);
create index webhook_events_pending on webhook_events (next_attempt_at) where processed_at is null;
create index webhook_events_by_time on webhook_events (tenant_id, received_at);
