-- How new conversations on a number find their people: manually (they wait in Unassigned), or
-- round-robin among the available members (of a team, when one is named). The rule remembers who
-- got the last one.
create table assignment_rules (
    tenant_id              uuid not null references workspaces (id),
    connection_id          uuid not null,
    mode                   text not null check (mode in ('MANUAL', 'ROUND_ROBIN')),
    team_id                uuid,
    last_assigned_user_id  uuid references users (id),
    primary key (tenant_id, connection_id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id),
    foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id)
);

-- The workspace's inbox settings: what a customer's message into a resolved conversation does.
create table inbox_settings (
    tenant_id        uuid primary key references workspaces (id),
    after_resolved   text not null default 'REOPEN' check (after_resolved in ('REOPEN', 'NEW'))
);
