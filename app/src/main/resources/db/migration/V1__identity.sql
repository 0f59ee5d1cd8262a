-- Workspaces (tenants), people, memberships, invitations and API tokens.
-- Tenant-owned tables lead their primary key with tenant_id and carry it in every foreign key
-- to another tenant table, so that the schema can be distributed by tenant_id unchanged.

create table workspaces (
    id               uuid primary key,
    name             text not null check (length(name) between 1 and 120),
    time_zone        text not null,
    default_country  text not null check (default_country ~ '^[A-Z]{2}$'),
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create table users (
    id                   uuid primary key,
    email                text not null check (length(email) between 3 and 254),
    name                 text not null check (length(name) between 1 and 120),
    password_hash        text not null,
    password_changed_at  timestamptz not null,
    last_workspace_id    uuid references workspaces (id) on delete set null,
    created_at           timestamptz not null,
    updated_at           timestamptz not null
);
create unique index users_email_key on users (lower(email));

create table memberships (
    tenant_id   uuid not null references workspaces (id),
    user_id     uuid not null references users (id),
    role        text not null check (role in ('OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT', 'ANALYST')),
    active      boolean not null default true,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, user_id)
);
create index memberships_by_user on memberships (user_id);

create table invitations (
    tenant_id    uuid not null references workspaces (id),
    id           uuid not null,
    email        text not null,
    role         text not null check (role in ('OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT', 'ANALYST')),
    token_hash   text not null,
    invited_by   uuid not null references users (id),
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    accepted_at  timestamptz,
    accepted_by  uuid references users (id),
    revoked_at   timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, token_hash)
);
create index invitations_pending on invitations (tenant_id, created_at desc) where accepted_at is null and revoked_at is null;

create table api_tokens (
    tenant_id     uuid not null references workspaces (id),
    id            uuid not null,
    name          text not null check (length(name) between 1 and 80),
    role          text not null check (role in ('ADMIN', 'SUPERVISOR', 'AGENT', 'ANALYST')),
    token_hash    text not null,
    hint          text not null,
    created_by    uuid not null references users (id),
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, token_hash)
);

-- Failed sign-ins per account and per address: slowed down, then locked for a while.
create table sign_in_throttle (
    key               text primary key,
    failures          int not null,
    last_failure_at   timestamptz not null,
    next_attempt_at   timestamptz,
    locked_until      timestamptz
);

-- Spring Session keeps sessions here so that any number of app nodes can serve the same person.
create table spring_session (
    primary_id             char(36) not null,
    session_id             char(36) not null,
    creation_time          bigint not null,
    last_access_time       bigint not null,
    max_inactive_interval  int not null,
    expiry_time            bigint not null,
    principal_name         varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id  char(36) not null,
    attribute_name      varchar(200) not null,
    attribute_bytes     bytea not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id) on delete cascade
);
