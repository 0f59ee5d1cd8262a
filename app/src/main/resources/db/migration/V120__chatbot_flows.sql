-- Chatbot flows (issue 16): a flow's draft, its published versions (immutable), the runs of those versions in
-- conversations and each step a run took. Runs refer to the inbox's conversations and the contacts' people by id only
-- (no foreign key into another module's tables): the flows' own erasure, export and retention take care of them.

create table automation_flows (
    tenant_id          uuid not null references workspaces (id),
    id                 uuid not null,
    name               text not null check (length(name) between 1 and 100),
    keywords           text[] not null default '{}',
    ad_entry           boolean not null default false,
    draft              jsonb not null,
    published_version  integer,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    primary key (tenant_id, id)
);
create unique index automation_flows_by_name on automation_flows (tenant_id, lower(name));

create table automation_flow_versions (
    tenant_id     uuid not null,
    flow_id       uuid not null,
    version       integer not null check (version > 0),
    definition    jsonb not null,
    published_at  timestamptz not null,
    published_by  text not null,
    primary key (tenant_id, flow_id, version),
    foreign key (tenant_id, flow_id) references automation_flows (tenant_id, id) on delete cascade
);

create table automation_flow_runs (
    tenant_id        uuid not null,
    id               uuid not null,
    flow_id          uuid not null,
    version          integer not null,
    conversation_id  uuid not null,
    contact_id       uuid not null,
    connection_id    uuid,
    state            text not null check (state in ('running', 'waiting', 'handed_over', 'ended', 'timed_out', 'stopped')),
    current_step     text,
    answers          jsonb not null default '{}',
    last_answer      jsonb,
    started_by       text not null,
    started_at       timestamptz not null,
    updated_at       timestamptz not null,
    ended_at         timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, flow_id, version) references automation_flow_versions (tenant_id, flow_id, version) on delete cascade
);
-- At most one run going in a conversation: a second start finds it and does not interrupt it.
create unique index automation_flow_runs_going on automation_flow_runs (tenant_id, conversation_id) where state in ('running', 'waiting');
create index automation_flow_runs_by_flow on automation_flow_runs (tenant_id, flow_id, started_at desc);
create index automation_flow_runs_by_contact on automation_flow_runs (tenant_id, contact_id);
create index automation_flow_runs_by_update on automation_flow_runs (tenant_id, updated_at);

create table automation_flow_run_steps (
    tenant_id   uuid not null,
    run_id      uuid not null,
    position    integer not null,
    step_id     text not null,
    step_type   text not null,
    outcome     text not null,
    answer      text,
    message_id  uuid,
    taken_at    timestamptz not null,
    primary key (tenant_id, run_id, position),
    foreign key (tenant_id, run_id) references automation_flow_runs (tenant_id, id) on delete cascade
);
create index automation_flow_run_steps_by_message on automation_flow_run_steps (tenant_id, message_id) where message_id is not null;
