-- The audit trail: who did what, when, from where, in which workspace. The application may only
-- append; rows leave only through retention, once older than 180 days.

create table audit_events (
    tenant_id     uuid not null references workspaces (id),
    id            uuid not null,
    occurred_at   timestamptz not null,
    actor_kind    text not null check (actor_kind in ('USER', 'API_TOKEN', 'SYSTEM', 'ANONYMOUS')),
    actor_id      uuid,
    actor_name    text,
    action        text not null,
    target_type   text,
    target_id     text,
    target_name   text,
    details       jsonb not null default '{}'::jsonb,
    ip_address    text,
    user_agent    text,
    primary key (tenant_id, id)
);
create index audit_events_by_time on audit_events (tenant_id, occurred_at desc, id desc);
create index audit_events_by_actor on audit_events (tenant_id, actor_id, occurred_at desc);
create index audit_events_by_action on audit_events (tenant_id, action, occurred_at desc);

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        raise exception 'audit events cannot be changed' using errcode = 'insufficient_privilege';
    end if;
    if tg_op = 'DELETE' and old.occurred_at > now() - interval '180 days' then
        raise exception 'audit events are kept for 180 days' using errcode = 'insufficient_privilege';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end;
$$;

create trigger audit_events_append_only
    before update or delete on audit_events
    for each row execute function audit_events_append_only();

create function audit_events_no_truncate() returns trigger language plpgsql as $$
begin
    raise exception 'audit events cannot be truncated' using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_no_truncate();
