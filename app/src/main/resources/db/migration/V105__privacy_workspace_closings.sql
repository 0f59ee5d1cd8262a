-- A workspace being closed: an Owner asked for it, and after the grace period (delete_after = requested_at + 30 days)
-- the daily deletion removes every row and file of the workspace, this one included. Cancelling deletes the row.
create table privacy_workspace_closings (
    tenant_id          uuid        primary key,
    requested_by       uuid        not null,
    requested_by_name  text        not null,
    requested_at       timestamptz not null,
    delete_after       timestamptz not null,
    -- The node deleting it claims the row (one node at a time; a claim older than an hour is taken over).
    claimed_at         timestamptz
);
create index privacy_workspace_closings_due on privacy_workspace_closings (delete_after);
