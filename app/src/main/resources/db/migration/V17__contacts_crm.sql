-- Contacts as a CRM keeps them: the fields people fill in, an owner, tags, custom attributes, notes,
-- a timeline, blocking, and marketing consent as a record with its history (the current state is kept
-- on the contact too, so that lists and audiences filter on it with an index).

alter table contacts
    add column email                    text,
    add column company                  text,
    add column owner_id                 uuid,
    add column attributes               jsonb not null default '{}',
    add column blocked_at               timestamptz,
    add column blocked_by               uuid,
    add column marketing_consent        text not null default 'unknown'
        check (marketing_consent in ('opted_in', 'opted_out', 'unknown')),
    add column marketing_consent_source text
        check (marketing_consent_source in ('import', 'agent', 'form', 'keyword', 'api')),
    add column marketing_consent_at     timestamptz,
    add constraint contacts_owner foreign key (tenant_id, owner_id) references memberships (tenant_id, user_id)
        on delete set null (owner_id);

-- One contact per number per workspace, whatever way it was written (numbers are stored in E.164).
create unique index contacts_by_phone on contacts (tenant_id, phone_e164) where phone_e164 is not null;
create index contacts_attributes on contacts using gin (tenant_id, attributes jsonb_path_ops);
create index contacts_by_owner on contacts (tenant_id, owner_id, id) where owner_id is not null;

create table contact_tags (
    tenant_id   uuid not null,
    contact_id  uuid not null,
    tag         text not null check (length(tag) between 1 and 64),
    created_at  timestamptz not null,
    primary key (tenant_id, contact_id, tag),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_tags_by_tag on contact_tags (tenant_id, tag, contact_id);

-- The custom attributes a workspace defines; a contact's values live in contacts.attributes by key.
create table contact_attributes (
    tenant_id   uuid not null references workspaces (id),
    key         text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label       text not null,
    type        text not null check (type in ('text', 'number', 'date', 'list', 'checkbox')),
    options     text[] not null default '{}',
    required    boolean not null default false,
    position    integer not null default 0,
    created_at  timestamptz not null,
    primary key (tenant_id, key)
);

create table contact_notes (
    tenant_id   uuid not null,
    id          uuid not null,
    contact_id  uuid not null,
    author_id   uuid,
    body        text not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_notes_by_contact on contact_notes (tenant_id, contact_id, created_at desc);

-- Marketing consent, every change kept: who or what opted the person in or out, how and when.
create table contact_consent_events (
    tenant_id   uuid not null,
    id          uuid not null,
    contact_id  uuid not null,
    status      text not null check (status in ('opted_in', 'opted_out')),
    source      text not null check (source in ('import', 'agent', 'form', 'keyword', 'api')),
    actor_id    uuid,
    detail      text,
    created_at  timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_consent_by_contact on contact_consent_events (tenant_id, contact_id, created_at desc);

-- The contact's timeline beyond conversations, notes and consent: field and attribute changes, merges,
-- blocking, tags. `details` says what changed (for a change: field, from, to).
create table contact_events (
    tenant_id   uuid not null,
    id          uuid not null,
    contact_id  uuid not null,
    kind        text not null,
    actor_id    uuid,
    details     jsonb not null default '{}',
    created_at  timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index contact_events_by_contact on contact_events (tenant_id, contact_id, created_at desc);
