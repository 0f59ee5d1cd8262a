-- Settings → Privacy: how long a workspace keeps its messages and media, its inactive contacts, and its logs. A
-- workspace without a row has the defaults (messages 90 days, contacts kept, logs 180 days). Null days keep the data.
create table privacy_settings (
    tenant_id              uuid        not null primary key references workspaces (id),
    message_days           integer     check (message_days between 30 and 3650),
    contact_inactive_days  integer     check (contact_inactive_days between 30 and 3650),
    log_days               integer     not null check (log_days between 180 and 3650),
    updated_by_name        text        not null,
    updated_at             timestamptz not null
);

-- Each run of the purge, and each dry run asked for on the page: when, and what it removed (or would remove) per
-- table. The daily run of a workspace carries its day: the node that inserts that row first runs it, the others find it
-- taken (one run per workspace and day, whichever nodes are up).
create table privacy_purge_runs (
    tenant_id    uuid        not null references workspaces (id),
    id           uuid        not null,
    day          date,
    dry_run      boolean     not null,
    by_hand      boolean     not null default false,
    started_by_name text     not null,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    removed      jsonb       not null default '{}'::jsonb,
    failure      text,
    primary key (tenant_id, id)
);
create index privacy_purge_runs_recent on privacy_purge_runs (tenant_id, started_at desc);
create unique index privacy_purge_runs_daily on privacy_purge_runs (tenant_id, day) where day is not null;
