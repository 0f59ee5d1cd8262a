-- What Meta says about a WhatsApp Business Account (account_update webhooks): a restriction, a policy violation, a
-- disabled or deleted account. The latest notice of each kind per account; a reconnection clears them.
create table whatsapp_account_notices (
    tenant_id    uuid        not null,
    waba_id      text        not null,
    kind         text        not null,
    event        text        not null,
    detail       jsonb       not null,
    received_at  timestamptz not null,
    expires_at   timestamptz,
    primary key (tenant_id, waba_id, kind)
);
