-- Proving that a person holds an email address before an account is made for it, and resetting a forgotten password.
-- Both are one-time links mailed to the address; only a SHA-256 of each is kept.

-- A link that proves its holder reads the invited address's mail: mailed with the invitation and again on request.
-- Creating a new account through an invitation needs one when the server can send mail.
create table invitation_address_proofs (
    tenant_id      uuid not null,
    id             uuid not null,
    invitation_id  uuid not null,
    token_hash     text not null,
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, token_hash),
    foreign key (tenant_id, invitation_id) references invitations (tenant_id, id)
);
create index invitation_address_proofs_by_invitation on invitation_address_proofs (tenant_id, invitation_id, created_at);

-- Password resets belong to a person, and people belong to no one workspace: a global table, like users.
create table password_resets (
    id          uuid primary key,
    user_id     uuid not null references users (id),
    token_hash  text not null unique,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index password_resets_by_user on password_resets (user_id, created_at);
