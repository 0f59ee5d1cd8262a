-- Contacts: the people a workspace talks to. A WhatsApp identity (wa_id, or the business-scoped
-- user id when the number is withheld) maps to one contact per workspace.

create table contacts (
    tenant_id         uuid not null references workspaces (id),
    id                uuid not null,
    name              text,
    profile_name      text,
    phone_e164        text,
    wa_id             text,
    whatsapp_user_id  text,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    last_activity_at  timestamptz,
    primary key (tenant_id, id),
    check (wa_id is not null or whatsapp_user_id is not null or phone_e164 is not null)
);
create unique index contacts_by_wa_id on contacts (tenant_id, wa_id) where wa_id is not null;
create unique index contacts_by_user_id on contacts (tenant_id, whatsapp_user_id) where whatsapp_user_id is not null;
