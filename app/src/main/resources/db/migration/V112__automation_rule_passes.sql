-- The rules' log at scale (issue 16): each time the rules of a trigger are considered for a message or an event, the
-- rules that did not fire are written as one row, a "pass", rather than a row per rule. A pass names the lineup it
-- went through (a "set": the enabled rules of the trigger in order, with their conditions as they were) and holds one
-- code per rule of it: the condition that failed, none held, the contact blocked; 0 where the rule has a row of its
-- own in automation_rule_log (fired, blocked by a safety, replied recently); null where it was not considered (a rule
-- before it stopped the pass). What each failing condition saw is kept once per pass, by field.
create table automation_rule_sets (
    tenant_id     uuid        not null,
    id            uuid        not null,
    trigger_kind  text        not null,
    digest        text        not null,
    rule_ids      uuid[]      not null,
    conditions    jsonb       not null,
    created_at    timestamptz not null,
    primary key (tenant_id, id)
);

create unique index automation_rule_sets_digest on automation_rule_sets (tenant_id, digest);

create table automation_rule_passes (
    tenant_id       uuid        not null,
    id              uuid        not null,
    set_id          uuid        not null,
    at              timestamptz not null,
    conversation_id uuid,
    contact_id      uuid,
    message_id      uuid,
    outcomes        smallint[]  not null,
    seen            jsonb       not null default '{}',
    primary key (tenant_id, id),
    foreign key (tenant_id, set_id) references automation_rule_sets (tenant_id, id) on delete cascade
);

create index automation_rule_passes_by_set on automation_rule_passes (tenant_id, set_id, at desc, id desc);
create index automation_rule_passes_by_contact on automation_rule_passes (tenant_id, contact_id);
create index automation_rule_passes_at on automation_rule_passes (tenant_id, at);

-- Every node keeps the workspace's rules in memory and reads them again when this number moves: any change to a rule
-- (added, edited, switched, moved, deleted, by any path) moves it.
alter table automation_settings add column rules_version bigint not null default 0;

create function automation_rules_changed() returns trigger language plpgsql as $$
begin
    insert into automation_settings (tenant_id, rules_version) values (coalesce(new.tenant_id, old.tenant_id), 1)
    on conflict (tenant_id) do update set rules_version = automation_settings.rules_version + 1;
    return null;
end
$$;

create trigger automation_rules_changed after insert or update or delete on automation_rules
    for each row execute function automation_rules_changed();
