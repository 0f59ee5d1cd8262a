-- Contact imports: a CSV or XLSX file of people, mapped column by column to contact fields and custom
-- attributes, run in the background with its progress and its report kept.

create table contact_imports (
    tenant_id        uuid not null references workspaces (id),
    id               uuid not null,
    -- draft: uploaded, waiting for its mapping; queued → running → done or failed.
    status           text not null check (status in ('draft', 'queued', 'running', 'done', 'failed')),
    file_name        text not null,
    file_format      text not null check (file_format in ('csv', 'xlsx')),
    file_size        bigint not null,
    headers          text[] not null,
    total_rows       integer not null,
    -- Column position (as text) → target: name, phone, whatsappUserId, email, company, tags, consent, attribute:<key>.
    mapping          jsonb not null default '{}',
    tags             text[] not null default '{}',
    consent_detail   text,
    processed_rows   integer not null default 0,
    -- The file's row number up to which the import has been written: a run taken over after a crash goes on after it.
    last_row         integer not null default 0,
    created_count    integer not null default 0,
    updated_count    integer not null default 0,
    merged_count     integer not null default 0,
    rejected_count   integer not null default 0,
    failure          text,
    attempts         integer not null default 0,
    lease_until      timestamptz,
    created_by       uuid,
    created_by_name  text,
    created_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    primary key (tenant_id, id)
);
-- What the background worker looks for, across workspaces.
create index contact_imports_due on contact_imports (created_at) where status in ('queued', 'running');
create index contact_imports_recent on contact_imports (tenant_id, created_at desc);

-- The uploaded file, sealed with the master key (AES-256-GCM), kept only until its import has finished.
create table contact_import_files (
    tenant_id   uuid not null,
    import_id   uuid not null,
    sealed      text not null,
    primary key (tenant_id, import_id),
    foreign key (tenant_id, import_id) references contact_imports (tenant_id, id) on delete cascade
);

-- The report's rows: every row not imported as it was written, with why. 'rejected': nothing of the row was
-- imported; 'merged': the row has the number of an earlier row and was merged into its contact; 'kept': the
-- row was imported but the contact's own opt-out (by keyword) was kept against the file's consent column.
create table contact_import_problems (
    tenant_id    uuid not null,
    import_id    uuid not null,
    row_number   integer not null,
    kind         text not null check (kind in ('rejected', 'merged', 'kept')),
    value        text,
    -- Why, as a message key (contacts.import.row.*, contacts.phone.*) and its arguments, shown in the reader's language.
    reason_key   text not null,
    reason_args  text[] not null default '{}',
    primary key (tenant_id, import_id, row_number, kind),
    foreign key (tenant_id, import_id) references contact_imports (tenant_id, id) on delete cascade
);

-- The mapping a workspace chose for a column heading, offered again the next time a file has that heading.
create table contact_import_mappings (
    tenant_id   uuid not null references workspaces (id),
    heading     text not null,
    target      text not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, heading)
);
