-- Durable timers (hexa.platform.timers): db-scheduler's table, in the shape its documentation gives for PostgreSQL.
-- One row per timer: task_name is the timer's kind, task_instance its key, task_data its data (UTF-8 text: ids, no
-- personal data), execution_time when it fires. A node claims a due row (picked, picked_by, last_heartbeat) and
-- deletes it once the timer's handler has committed; version guards each change. A platform table without tenant_id:
-- the workspace, when a timer has one, is inside its key.
create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamptz not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures int,
    last_heartbeat       timestamptz,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);

create index scheduled_tasks_execution_time on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time on scheduled_tasks (priority desc, execution_time asc);
