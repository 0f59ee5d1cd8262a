-- A send whose answer from Meta was lost (the process died while Meta answered, or the call timed out)
-- is uncertain: Meta may have accepted it. It stays QUEUED with uncertain_since set (when a running node
-- found it so, re-armed at every start) and is sent again only when the hold described in
-- docs/architecture.md ("Sending after an outage") has passed with Meta's webhooks for its number flowing
-- and none naming it; a status webhook naming it settles it at any time.
alter table messages
    add column uncertain_since timestamptz,
    -- Set by whoever queues it (campaigns): an uncertain message is failed as "not confirmed", never resent.
    add column never_resend boolean not null default false;

-- POST /api/v1/messages with an Idempotency-Key: the first request's answer, replayed for 24 hours to the
-- same API token (or person) with the same key. status is null while that first request is still being answered.
create table api_idempotency_keys (
    tenant_id     uuid not null references workspaces (id),
    caller_id     uuid not null,
    key           text not null,
    request_hash  text not null,
    status        int,
    body          text,
    created_at    timestamptz not null,
    primary key (tenant_id, caller_id, key)
);
create index api_idempotency_keys_by_age on api_idempotency_keys (created_at);
