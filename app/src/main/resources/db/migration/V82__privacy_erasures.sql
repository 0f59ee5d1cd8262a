-- Erasure certificates: what erasing a person removed (rows per table), when, by whom and why, kept without any
-- personal data of the person (no contact id, no name, no number), so that the business can show it did erase.
create table privacy_erasures (
    tenant_id       uuid        not null,
    id              uuid        not null,
    erased_at       timestamptz not null,
    erased_by_kind  text        not null check (erased_by_kind in ('USER', 'API_TOKEN', 'SYSTEM')),
    erased_by_id    uuid,
    erased_by_name  text        not null,
    reason          text        not null,
    removed         jsonb       not null,
    primary key (tenant_id, id)
);
create index privacy_erasures_by_time on privacy_erasures (tenant_id, erased_at desc, id desc);
