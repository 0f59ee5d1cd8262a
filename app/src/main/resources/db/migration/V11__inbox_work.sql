-- The team inbox: who works on a conversation (a member, a team), what state it is in (open,
-- pending, snoozed until a time, resolved), what the team has read, conversation tags, private
-- notes with mentions, teams and canned responses.

create table teams (
    tenant_id   uuid not null references workspaces (id),
    id          uuid not null,
    name        text not null check (length(btrim(name)) between 1 and 80),
    created_at  timestamptz not null,
    primary key (tenant_id, id)
);
create unique index teams_by_name on teams (tenant_id, lower(name));

create table team_members (
    tenant_id  uuid not null references workspaces (id),
    team_id    uuid not null,
    user_id    uuid not null references users (id),
    primary key (tenant_id, team_id, user_id),
    foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete cascade
);
create index team_members_by_user on team_members (tenant_id, user_id);

-- Whether a member takes new conversations (round-robin assignment skips those away).
create table member_availability (
    tenant_id   uuid not null references workspaces (id),
    user_id     uuid not null references users (id),
    available   boolean not null,
    changed_at  timestamptz not null,
    primary key (tenant_id, user_id)
);

alter table conversations
    add column assignee_id           uuid references users (id),
    add column team_id               uuid,
    add column snoozed_until         timestamptz,
    -- The team has read the customer's messages up to this one (by the customer's time): a
    -- conversation is unread while last_inbound_at is later.
    add column last_read_inbound_at  timestamptz,
    -- When the business last wrote: the customer waits while their last message is later.
    add column last_outbound_at      timestamptz,
    add constraint conversations_team_fk foreign key (tenant_id, team_id) references teams (tenant_id, id) on delete set null (team_id),
    add constraint conversations_snooze check (status <> 'SNOOZED' or snoozed_until is not null);

-- The conversation list reads these indexes in order and stops after a page (keyset pagination).
create index conversations_by_status on conversations (tenant_id, status, last_message_at desc, id desc);
create index conversations_by_assignee on conversations (tenant_id, assignee_id, status, last_message_at desc, id desc);
create index conversations_unassigned on conversations (tenant_id, status, last_message_at desc, id desc) where assignee_id is null;
create index conversations_waiting on conversations (tenant_id, status, last_inbound_at, id)
    where last_inbound_at > coalesce(last_outbound_at, '-infinity'::timestamptz);
create index conversations_unread on conversations (tenant_id, status, assignee_id)
    where last_inbound_at > coalesce(last_read_inbound_at, '-infinity'::timestamptz);
create index conversations_snoozed on conversations (snoozed_until) where status = 'SNOOZED';
drop index conversations_by_activity;
create index conversations_by_contact on conversations (tenant_id, contact_id, last_message_at desc);

create table conversation_tags (
    tenant_id        uuid not null references workspaces (id),
    conversation_id  uuid not null,
    tag              text not null check (length(tag) between 1 and 50),
    primary key (tenant_id, conversation_id, tag),
    foreign key (tenant_id, conversation_id) references conversations (tenant_id, id) on delete cascade
);
create index conversation_tags_by_tag on conversation_tags (tenant_id, tag, conversation_id);

-- Private notes: seen only by members, never sent to the customer. Created with the conversation's
-- messages in mind for retention (created_at).
create table conversation_notes (
    tenant_id        uuid not null references workspaces (id),
    id               uuid not null,
    conversation_id  uuid not null,
    author_id        uuid not null references users (id),
    body             text not null check (length(body) between 1 and 4000),
    created_at       timestamptz not null,
    edited_at        timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, conversation_id) references conversations (tenant_id, id) on delete cascade
);
create index conversation_notes_by_conversation on conversation_notes (tenant_id, conversation_id, created_at);

-- What a member is told about: a mention in a note, a conversation assigned to them.
create table inbox_notifications (
    tenant_id        uuid not null references workspaces (id),
    id               uuid not null,
    user_id          uuid not null references users (id),
    kind             text not null check (kind in ('MENTION', 'ASSIGNED')),
    conversation_id  uuid not null,
    note_id          uuid,
    actor_id         uuid references users (id),
    created_at       timestamptz not null,
    read_at          timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, conversation_id) references conversations (tenant_id, id) on delete cascade
);
create index inbox_notifications_unread on inbox_notifications (tenant_id, user_id, created_at desc) where read_at is null;

create table canned_responses (
    tenant_id   uuid not null references workspaces (id),
    id          uuid not null,
    shortcut    text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
    body        text not null check (length(body) between 1 and 4096),
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, id)
);
create unique index canned_responses_by_shortcut on canned_responses (tenant_id, shortcut);
