-- Legal holds: an Owner holds a contact (with a reason) and nothing about it is purged by retention or erased until
-- the hold is released. One row per hold; a released hold stays as history.
create table privacy_legal_holds (
    tenant_id     uuid        not null,
    id            uuid        not null,
    contact_id    uuid        not null,
    reason        text        not null,
    held_by       uuid,
    held_by_name  text        not null,
    held_at       timestamptz not null,
    released_by   uuid,
    released_by_name text,
    released_at   timestamptz,
    primary key (tenant_id, id)
);
create unique index privacy_legal_holds_active on privacy_legal_holds (tenant_id, contact_id) where released_at is null;
