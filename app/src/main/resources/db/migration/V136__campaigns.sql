-- Campaigns: a template sent to an audience, at a time, over one or more numbers, with a funnel per recipient.
create table campaigns (
    tenant_id uuid not null,
    id uuid not null,
    name text not null check (length(name) between 1 and 200),
    status text not null default 'DRAFT'
        check (status in ('DRAFT', 'SCHEDULED', 'PREPARING', 'SENDING', 'PAUSED', 'CANCELLED', 'FINISHED')),
    -- variant A (the only one without A/B)
    template_name text,
    template_language text,
    template_category text,
    -- {"header": [param], "body": [param], "buttons": [param]}; param = {"source": "FIELD|ATTRIBUTE|TEXT", "key": "name", "fallback": "there"}
    variables jsonb not null default '{}',
    -- null, or {"templateName", "templateLanguage", "templateCategory", "variables", "samplePercent": 20, "metric": "READ|REPLIED", "decideAfterMinutes": 60}
    ab jsonb,
    ab_winner char(1) check (ab_winner in ('A', 'B')),
    ab_decided_at timestamptz,
    -- one of {"segmentId": "…"}, {"tags": ["…"], "match": "ANY|ALL"}, {"filter": {ContactFilter as JSON}}, {"upload": "…"}; plus "excludeTags": [..] optional
    audience jsonb not null default '{}',
    connection_ids uuid[] not null default '{}',
    send_at timestamptz,                 -- null: now when started
    time_zone text,                      -- the zone the user chose the time in (shown back); local_hour uses each recipient's zone
    local_hour smallint check (local_hour between 0 and 23),
    follow_up_of uuid,                   -- "send again to those who did not read"
    follow_up_rule text check (follow_up_rule in ('NOT_READ', 'NOT_REPLIED')),
    estimate jsonb,                      -- {"currency": "USD", "total": 12.34, "recipients": n, "byCountry": {"DE": {"n": 3, "price": 0.1365}}}
    created_by uuid,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    started_at timestamptz,
    paused_at timestamptz,
    finished_at timestamptz,
    cancelled_at timestamptz,
    primary key (tenant_id, id)
);
create index campaigns_by_status on campaigns (status, send_at) where status in ('SCHEDULED', 'PREPARING', 'SENDING');

-- One row per contact per campaign: the primary key makes "at most once per campaign" a constraint.
create table campaign_recipients (
    tenant_id uuid not null,
    campaign_id uuid not null,
    contact_id uuid not null,
    -- EXCLUDED (see exclusion) | WAITING (not yet handed to the send queue) | QUEUED (message row written, message_id set)
    -- | SENT | DELIVERED | READ | FAILED | CANCELLED (campaign cancelled before it was handed over)
    state text not null check (state in ('EXCLUDED', 'WAITING', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'CANCELLED')),
    exclusion text check (exclusion in ('NO_CONSENT', 'OPTED_OUT', 'BLOCKED', 'NO_WHATSAPP', 'EXCLUDED_TAG', 'MISSING_VARIABLE')),
    variant char(1) check (variant in ('A', 'B')),   -- null with A/B: the rest, waiting for the winner
    connection_id uuid,
    country char(2),                                   -- from the number (libphonenumber region), for prices
    due_at timestamptz,                                -- when it may be handed over (send_at, or its local hour)
    message_id uuid,
    queued_at timestamptz,
    sent_at timestamptz,
    delivered_at timestamptz,
    read_at timestamptz,
    replied_at timestamptz,
    clicked_at timestamptz,
    failed_at timestamptz,
    error_code int,
    error_title text,
    billable boolean,
    pricing_category text,
    cost numeric(12, 6),
    primary key (tenant_id, campaign_id, contact_id)
);
create index campaign_recipients_waiting on campaign_recipients (tenant_id, campaign_id, due_at) where state = 'WAITING';
create unique index campaign_recipients_by_message on campaign_recipients (tenant_id, message_id) where message_id is not null;
create index campaign_recipients_by_contact on campaign_recipients (tenant_id, contact_id, sent_at);
