-- Spring Modulith's event publication registry: one row per domain event and listener that has not yet
-- completed. A publication is written in the transaction that publishes the event, so an event is never
-- lost between a state change and its listener; one still incomplete after a crash is handed out again at
-- start. Completed publications are deleted (spring.modulith.events.completion-mode=delete), so the
-- table holds only work in flight. A global table: events carry their workspace inside.
create table event_publication (
    id                     uuid not null primary key,
    listener_id            text not null,
    event_type             text not null,
    serialized_event       text not null,
    publication_date       timestamptz not null,
    completion_date        timestamptz,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamptz
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);
