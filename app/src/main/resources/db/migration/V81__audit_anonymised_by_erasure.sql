-- The audit trail stays append-only, with one exception: erasing a person anonymises the entries about them. Such an
-- entry keeps its action, who did it, when and from where; its target's name becomes "a person erased on <date>" and its
-- details are emptied. Any other change is refused as before.
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
    if tg_op = 'DELETE' and old.occurred_at > now() - interval '180 days' then
        raise exception 'audit events are kept for 180 days' using errcode = 'insufficient_privilege';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end;
$$;
