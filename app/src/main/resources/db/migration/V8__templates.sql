-- Message templates of each connected WhatsApp Business Account, as Meta last told us.

create table whatsapp_templates (
    tenant_id         uuid not null references workspaces (id),
    id                uuid not null,
    waba_id           text not null,
    meta_id           text,
    name              text not null,
    language          text not null,
    category          text,
    status            text not null,
    rejected_reason   text,
    components        jsonb not null default '[]'::jsonb,
    synced_at         timestamptz not null,
    primary key (tenant_id, id),
    unique (tenant_id, waba_id, name, language)
);
