-- Single sign-on with OpenID Connect: one provider per workspace, set by its Owners.
create table single_sign_on (
    tenant_id             uuid not null references workspaces (id),
    issuer                text not null check (length(issuer) between 1 and 500),
    client_id             text not null check (length(client_id) between 1 and 300),
    -- Sealed with the master key (SecretBox), never stored in clear.
    client_secret_sealed  text not null,
    sso_only              boolean not null default false,
    updated_at            timestamptz not null,
    updated_by            uuid not null,
    primary key (tenant_id)
);
