-- Automation rules (issue 16): the rules of each workspace, their log, the hourly limit of automatic replies, and the
-- marks that tell the engine an event was caused by a rule's own action (the loop guard).
create table automation_rules (
    tenant_id     uuid        not null,
    id            uuid        not null,
    name          text        not null,
    position      int         not null,
    enabled       boolean     not null default false,
    stop_after    boolean     not null default false,
    trigger_kind  text        not null,
    trigger       jsonb       not null,
    match         text        not null default 'ALL' check (match in ('ALL', 'ANY')),
    conditions    jsonb       not null default '[]',
    actions       jsonb       not null default '[]',
    built_in      text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    updated_by    uuid,
    primary key (tenant_id, id)
);

create unique index automation_rules_built_in on automation_rules (tenant_id, built_in) where built_in is not null;
create index automation_rules_enabled on automation_rules (tenant_id, trigger_kind, position) where enabled;

create table automation_rule_log (
    tenant_id       uuid        not null,
    id              uuid        not null,
    rule_id         uuid        not null,
    at              timestamptz not null,
    conversation_id uuid,
    contact_id      uuid,
    message_id      uuid,
    outcome         text        not null check (outcome in ('FIRED', 'SKIPPED', 'BLOCKED')),
    reason          text,
    actions         jsonb       not null default '[]',
    replies         int         not null default 0,
    primary key (tenant_id, id),
    foreign key (tenant_id, rule_id) references automation_rules (tenant_id, id) on delete cascade
);

create index automation_rule_log_by_rule on automation_rule_log (tenant_id, rule_id, at desc, id desc);
create index automation_rule_log_replies on automation_rule_log (tenant_id, conversation_id, at) where replies > 0;
create index automation_rule_log_by_contact on automation_rule_log (tenant_id, contact_id);
create index automation_rule_log_at on automation_rule_log (tenant_id, at);

create table automation_settings (
    tenant_id               uuid        not null primary key,
    replies_per_hour        int         not null default 5 check (replies_per_hour between 1 and 100),
    built_ins_created_at    timestamptz
);

-- A rule's action (a tag added, an assignment) raises an event that may trigger rules in turn: the action leaves a mark
-- with the chain of rules that led to it, and the engine reads it when the event arrives (a few seconds later).
create table automation_rule_echoes (
    tenant_id     uuid        not null,
    id            uuid        not null,
    subject_id    uuid        not null,
    trigger_kind  text        not null,
    chain         uuid[]      not null,
    created_at    timestamptz not null,
    primary key (tenant_id, id)
);

create index automation_rule_echoes_by_subject on automation_rule_echoes (tenant_id, subject_id, trigger_kind);
