-- A person's export: a job that gathers everything about a contact from every module into a ZIP under
-- <data-dir>/exports/, downloadable by whoever asked for it (a member or an API token) for 24 hours, then deleted.
create table privacy_exports (
    tenant_id          uuid        not null,
    id                 uuid        not null,
    contact_id         uuid        not null,
    contact_name       text,
    requested_by_kind  text        not null check (requested_by_kind in ('USER', 'API_TOKEN', 'SYSTEM')),
    requested_by       uuid,
    requested_by_name  text        not null,
    -- queued → running → done or failed; done → expired when the ZIP is deleted after 24 hours.
    status             text        not null check (status in ('queued', 'running', 'done', 'failed', 'expired')),
    progress           integer     not null default 0 check (progress between 0 and 100),
    failure            text,
    attempts           integer     not null default 0,
    lease_until        timestamptz,
    created_at         timestamptz not null,
    started_at         timestamptz,
    finished_at        timestamptz,
    expires_at         timestamptz,
    file_name          text,
    size_bytes         bigint,
    primary key (tenant_id, id)
);
create index privacy_exports_by_contact on privacy_exports (tenant_id, contact_id, created_at desc);
create index privacy_exports_due on privacy_exports (created_at) where status in ('queued', 'running');
create index privacy_exports_expiring on privacy_exports (expires_at) where status = 'done';

-- Who opened, changed or exported a contact: the export's access.json and the view log's once-an-hour check read the
-- audit trail by its target.
create index audit_events_by_target on audit_events (tenant_id, target_type, target_id, occurred_at desc);
