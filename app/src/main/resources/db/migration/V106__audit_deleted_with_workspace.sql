-- The audit trail stays append-only (with the erasure's anonymisation, V81), with one more exception: when a closed
-- workspace is deleted after its grace period, its entries go with it, however young. The audit module's part of the
-- deletion marks its transaction with the workspace's id (set_config('hexa.deleting_workspace', id, true)); only that
-- workspace's rows, only in that transaction, may be deleted early.
create or replace function audit_events_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if new.target_name ~ '^a person erased on [0-9]{4}-[0-9]{2}-[0-9]{2}$'
           and new.details = '{}'::jsonb
           and (new.tenant_id, new.id, new.occurred_at, new.actor_kind, new.actor_id, new.actor_name, new.action,
                new.target_type, new.target_id, new.ip_address, new.user_agent)
               is not distinct from
               (old.tenant_id, old.id, old.occurred_at, old.actor_kind, old.actor_id, old.actor_name, old.action,
                old.target_type, old.target_id, old.ip_address, old.user_agent) then
            return new;
        end if;
        raise exception 'audit events cannot be changed' using errcode = 'insufficient_privilege';
    end if;
    if tg_op = 'DELETE' and old.occurred_at > now() - interval '180 days'
       and coalesce(current_setting('hexa.deleting_workspace', true), '') <> old.tenant_id::text then
        raise exception 'audit events are kept for 180 days' using errcode = 'insufficient_privilege';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end;
$$;
