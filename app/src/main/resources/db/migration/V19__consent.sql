-- Marketing consent kept by the customer's own words, and blocking (issue 6, consent and blocking).
--
-- What a workspace says about consent keywords: besides STOP and UNSUBSCRIBE (opt out) and START (opt back
-- in), which always work, its own words, and the acknowledgements sent back. A workspace without a row uses
-- the defaults (no extra words; the acknowledgements of the message bundle).
create table contact_consent_settings (
    tenant_id      uuid not null references workspaces (id),
    opt_out_words  text[] not null default '{}',
    opt_in_words   text[] not null default '{}',
    opt_out_reply  text not null check (length(opt_out_reply) between 1 and 1024),
    opt_in_reply   text not null check (length(opt_in_reply) between 1 and 1024),
    updated_at     timestamptz not null,
    updated_by     uuid,
    primary key (tenant_id)
);

-- Marketing audiences leave out the opted-out and the blocked: both are few, so partial indexes are small.
create index contacts_opted_out on contacts (tenant_id, id) where marketing_consent = 'opted_out';
create index contacts_blocked on contacts (tenant_id, id) where blocked_at is not null;
