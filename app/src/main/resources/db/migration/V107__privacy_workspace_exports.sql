-- The whole workspace exported by an Owner (before closing it, say): a leased background job writes one ZIP (contacts
-- CSV, each contact's conversations, messages and media), sealed at rest under <data-dir>/exports/<workspace>/,
-- downloadable by Owners for 24 hours; then the ZIP and the row are deleted.
create table privacy_workspace_exports (
    tenant_id          uuid        not null,
    id                 uuid        not null,
    requested_by       uuid        not null,
    requested_by_name  text        not null,
    status             text        not null check (status in ('queued', 'running', 'done', 'failed')),
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
create index privacy_workspace_exports_due on privacy_workspace_exports (created_at) where status in ('queued', 'running');
