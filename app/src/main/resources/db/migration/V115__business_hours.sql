-- Business hours (issue 16): when a workspace, or one of its teams, is open. A week is a set of opening intervals per
-- day in the workspace's time zone (wall-clock minutes, so that 09:00 stays 09:00 across daylight saving time); a day
-- without intervals is closed. A workspace without a week is always open; a team without a week of its own keeps the
-- workspace's. Holidays close a whole day, for the workspace (every team) or for one team.

-- One row per week that is set: the workspace's (team_id null), or a team's own.
create table business_hour_weeks (
    tenant_id   uuid not null references workspaces (id),
    id          uuid not null,
    team_id     uuid,
    updated_at  timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade
);
create unique index business_hour_weeks_of_workspace on business_hour_weeks (tenant_id) where team_id is null;
create unique index business_hour_weeks_of_team on business_hour_weeks (tenant_id, team_id) where team_id is not null;

-- The opening intervals of a week: opens and closes are minutes after midnight; 1440 closes at the end of the day.
create table business_hour_intervals (
    tenant_id      uuid not null,
    week_id        uuid not null,
    day_of_week    smallint not null check (day_of_week between 1 and 7),
    opens_minute   smallint not null check (opens_minute between 0 and 1439),
    closes_minute  smallint not null check (closes_minute between 1 and 1440),
    primary key (tenant_id, week_id, day_of_week, opens_minute),
    foreign key (tenant_id, week_id) references business_hour_weeks (tenant_id, id) on delete cascade,
    check (closes_minute > opens_minute)
);

-- Days closed all day: for the whole workspace (team_id null) or for one team.
create table business_hour_holidays (
    tenant_id   uuid not null references workspaces (id),
    id          uuid not null,
    team_id     uuid,
    day         date not null,
    name        text not null check (length(name) between 1 and 80),
    created_at  timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade
);
create unique index business_hour_holidays_of_workspace on business_hour_holidays (tenant_id, day) where team_id is null;
create unique index business_hour_holidays_of_team on business_hour_holidays (tenant_id, team_id, day) where team_id is not null;
