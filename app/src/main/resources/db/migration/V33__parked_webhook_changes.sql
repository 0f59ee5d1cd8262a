-- A part of a webhook that cannot be applied (a status value we do not know, a message without a sender, a change
-- whose processing fails however often it is tried) is parked here with the reason, instead of holding back the
-- rest of its POST: everything else in the POST is applied. It is kept, counted, and shown to Owners and Admins,
-- and can be applied again after an upgrade that understands it. It belongs to the workspace whose connection
-- received it. Its item is a change as Meta wrote it, narrowed to the part that was parked, so that it can be applied
-- again on its own. It holds message text, so it goes when the raw webhook bodies go (retention).
create table webhook_parked_changes (
    tenant_id        uuid not null,
    id               uuid not null,
    event_id         uuid not null,
    connection_id    uuid not null,
    part             text not null check (part in ('message', 'status', 'change', 'body')),
    field            text not null,
    phone_number_id  text,
    item             jsonb not null,
    reason           text not null,
    parked_at        timestamptz not null,
    applied_at       timestamptz,
    primary key (tenant_id, id)
);
create index webhook_parked_changes_open on webhook_parked_changes (tenant_id, parked_at) where applied_at is null;
