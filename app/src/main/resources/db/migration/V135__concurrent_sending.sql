-- Sending at Meta's full rate: each queued message has a lane (0: agents, the API and automation; 1: bulk sends such as
-- campaigns, which go only when the first lane has nothing due), bulk messages count towards the number's messaging limit
-- (unique customers per rolling 24 hours) from when Meta accepted them, and a number's bulk lane can be paused after
-- Meta's pacing errors.
alter table messages
    add column send_lane smallint not null default 0 check (send_lane in (0, 1)),
    add column limit_counted_at timestamptz;

alter table messages drop constraint messages_sent_by_kind_check;
alter table messages
    add constraint messages_sent_by_kind_check check (sent_by_kind in ('USER', 'API_TOKEN', 'SYSTEM', 'RULE', 'FLOW', 'CAMPAIGN'));

-- The claim reads the first lane before the bulk lane, each by due time.
create index messages_to_send_by_lane on messages (send_lane, next_attempt_at) where status = 'QUEUED';
-- The customers a number sent bulk messages to in the last 24 hours (its messaging limit).
create index messages_in_limit_window on messages (tenant_id, connection_id, limit_counted_at, contact_id)
    where limit_counted_at is not null;

alter table whatsapp_connections
    -- unique customers per rolling 24 h (250, 2000, 10000, 100000); null: unlimited or not known
    add column messaging_limit int check (messaging_limit > 0),
    add column messaging_limit_checked_at timestamptz,
    -- after a pacing error (131048, 130429 ...) the bulk lane waits until then; pauses in a row lengthen the wait
    add column bulk_paused_until timestamptz,
    add column bulk_pauses int not null default 0,
    add column bulk_pause_reason text;
