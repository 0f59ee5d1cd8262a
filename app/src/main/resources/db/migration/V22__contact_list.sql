-- The contact list: saved segments (named filters, reused by campaigns) and the indexes that let the list
-- read a page in order and stop, whatever it is sorted by, at a million contacts per workspace.

create table contact_segments (
    tenant_id   uuid not null references workspaces (id),
    id          uuid not null,
    name        text not null check (length(name) between 1 and 100),
    -- a contacts.ContactFilter as JSON
    filter      jsonb not null,
    created_by  uuid,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, id)
);
create unique index contact_segments_by_name on contact_segments (tenant_id, lower(name));

-- One index per sort order. Contacts who were never active sort last, as if active at the dawn of time.
create index contacts_by_activity on contacts (tenant_id, coalesce(last_activity_at, '-infinity'::timestamptz) desc, id desc);
create index contacts_by_created on contacts (tenant_id, created_at desc, id desc);
-- The name people see: the given name, else the WhatsApp profile name, else the number.
create index contacts_by_name on contacts (tenant_id, lower(coalesce(name, profile_name, phone_e164, whatsapp_user_id, wa_id, '')), id);

-- Search by words of a name, a number or an email address: everything searched in one trigram index, so that a
-- search of several words intersects their matches inside the index (the inbox keeps using contacts_search, V14).
create index contacts_search_all on contacts using gin (
    tenant_id,
    (lower(coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || coalesce(phone_e164, '') || ' ' || coalesce(whatsapp_user_id, '')
           || ' ' || coalesce(email, ''))) gin_trgm_ops);

-- Blocked contacts are few: find them without walking the list.
-- The blocked filter uses contacts_blocked (V19).
