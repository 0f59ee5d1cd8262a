-- Privacy requests: a person asks for their data (access, export), its erasure or the end of marketing messages (consent), through the public privacy page, a
-- member on their behalf, or Meta's data deletion callback. Each is due a number of days after it was received.
create table privacy_requests (
    tenant_id         uuid        not null,
    id                uuid        not null,
    kind              text        not null check (kind in ('access', 'export', 'erasure', 'consent')),
    contact_id        uuid,
    phone_number      text,
    source            text        not null check (source in ('public_page', 'member', 'meta_callback')),
    state             text        not null check (state in ('awaiting_approval', 'approved', 'done', 'rejected')),
    received_at       timestamptz not null,
    due_at            timestamptz not null,
    recorded_by_name  text,
    decided_by        uuid,
    decided_by_name   text,
    decided_at        timestamptz,
    rejection_reason  text,
    outcome           text,
    export_job_id     uuid,
    done_at           timestamptz,
    confirmation_code text        not null,
    primary key (tenant_id, id)
);
create unique index privacy_requests_code on privacy_requests (tenant_id, confirmation_code);
create index privacy_requests_open on privacy_requests (tenant_id, state, due_at);

-- The public privacy page of each workspace: its address key, its own text, and the rule for requests.
create table privacy_public_pages (
    tenant_id   uuid        not null primary key,
    page_key    text        not null,
    body        text        not null default '',
    rule        text        not null default 'approval' check (rule in ('approval', 'automatic')),
    due_days    integer     not null default 30 check (due_days between 1 and 90),
    updated_at  timestamptz not null
);
-- The key is 128 random bits: unique in practice; the lookup of a page by its address needs this index.
create index privacy_public_pages_key on privacy_public_pages (page_key);

-- One-time codes sent on WhatsApp to prove a number on the public page: hashed, valid 10 minutes, a few tries. A row is
-- written for every code asked for, sent or not (a number the workspace does not know gets none), so that the answers
-- and the rate limit are the same either way.
create table privacy_request_codes (
    tenant_id    uuid        not null,
    id           uuid        not null,
    phone_number text        not null,
    kind         text        not null,
    address_hash text        not null,
    code_hash    text        not null,
    attempts     integer     not null default 0,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    used_at      timestamptz,
    primary key (tenant_id, id)
);
create index privacy_request_codes_number on privacy_request_codes (tenant_id, phone_number, created_at);
-- Each row also counts for the rate limit per address (hashed: the page needs no one's address, only how often).
create index privacy_request_codes_address on privacy_request_codes (tenant_id, address_hash, created_at);

