-- Two-factor authentication (identity). A person's second factor belongs to their global account, not to a
-- workspace, so these tables are global like users.

create table two_factor (
    user_id          uuid primary key references users (id) on delete cascade,
    secret_sealed    text not null,               -- the TOTP seed, sealed with the master key (SecretBox)
    enabled_at       timestamptz,                 -- null while enrolment waits for its first code
    last_used_step   bigint not null default 0,   -- the last 30-second step whose code was accepted: no code twice
    device_key       text not null,               -- part of every "remember this device" cookie; a new one revokes them all
    created_at       timestamptz not null
);

create table two_factor_recovery_codes (
    user_id    uuid not null references users (id) on delete cascade,
    code_hash  text not null,                     -- SHA-256 of the code (80 random bits), never the code
    used_at    timestamptz,
    primary key (user_id, code_hash)
);

alter table workspaces add column require_two_factor boolean not null default false;
