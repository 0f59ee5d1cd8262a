-- Bulk actions on contacts (tag, untag, set owner, delete) run as background jobs: the contacts to act on are
-- fixed when the job is started (its items), and a worker goes through them a chunk at a time, each chunk in
-- its own transaction together with the job's progress, so a restart goes on where the last chunk ended.

create table contact_bulk_jobs (
    tenant_id        uuid not null references workspaces (id),
    id               uuid not null,
    action           text not null check (action in ('tag', 'untag', 'owner', 'delete')),
    -- The tag to add or remove (tag, untag), in the spelling the workspace uses.
    tag              text,
    -- The owner to give (owner); null gives none.
    owner_id         uuid,
    -- Which contacts, as the audit trail and the page describe them: the size of a selection, or a filter's query string.
    selected         integer,
    filter           text,
    -- queued → running → done or failed.
    status           text not null check (status in ('queued', 'running', 'done', 'failed')),
    matched          bigint not null,
    processed        bigint not null default 0,
    changed          bigint not null default 0,
    -- Delete only: contacts kept because they have conversations.
    kept             bigint not null default 0,
    -- The last contact (in id order) whose chunk is done: a run taken over after a crash goes on after it.
    last_contact_id  uuid,
    -- A message key saying why the job failed.
    failure          text,
    attempts         integer not null default 0,
    lease_until      timestamptz,
    -- Who started it, as the audit trail names them (the finishing entry is recorded in their name too).
    started_by_kind  text not null,
    started_by_id    uuid,
    started_by_name  text,
    created_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    primary key (tenant_id, id)
);
-- What the background worker looks for, across workspaces.
create index contact_bulk_jobs_due on contact_bulk_jobs (created_at) where status in ('queued', 'running');
create index contact_bulk_jobs_recent on contact_bulk_jobs (tenant_id, created_at desc);

-- The contacts a job acts on, fixed when it was started; removed when the job ends. No foreign key to contacts: a
-- contact deleted meanwhile is simply skipped.
create table contact_bulk_job_items (
    tenant_id   uuid not null,
    job_id      uuid not null,
    contact_id  uuid not null,
    primary key (tenant_id, job_id, contact_id),
    foreign key (tenant_id, job_id) references contact_bulk_jobs (tenant_id, id) on delete cascade
);
