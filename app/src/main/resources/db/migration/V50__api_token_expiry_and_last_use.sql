-- API tokens may expire, and remember where they were last used from (noted at most once a minute).
alter table api_tokens
    add column expires_at     timestamptz,
    add column last_used_from text check (length(last_used_from) <= 64),
    add constraint api_tokens_expire_after_creation check (expires_at is null or expires_at > created_at);

-- Settings → API tokens lists a member's own tokens.
create index api_tokens_by_creator on api_tokens (tenant_id, created_by);
