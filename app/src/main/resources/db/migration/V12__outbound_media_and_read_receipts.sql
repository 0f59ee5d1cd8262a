-- Files people upload to send (image, audio, video, document, sticker). Type and size were checked
-- against Meta's limits before anything was stored; the bytes are encrypted in the blob store like
-- the media customers send.
create table media_uploads (
    tenant_id     uuid not null references workspaces (id),
    id            uuid not null,
    kind          text not null check (kind in ('image', 'audio', 'video', 'document', 'sticker')),
    mime_type     text not null,
    size_bytes    bigint not null check (size_bytes > 0),
    sha256        text not null,
    filename      text,
    blob_key      text not null,
    uploaded_by_kind text not null check (uploaded_by_kind in ('USER', 'API_TOKEN', 'SYSTEM')),
    uploaded_by   uuid,
    created_at    timestamptz not null,
    primary key (tenant_id, id)
);

-- Meta's media id of an upload, per connected number: an upload is sent to Meta's media endpoint
-- at send time and its id reused for further sends from that number while Meta keeps it (30 days).
create table media_uploads_at_meta (
    tenant_id      uuid not null references workspaces (id),
    upload_id      uuid not null,
    connection_id  uuid not null,
    media_id       text not null,
    uploaded_at    timestamptz not null,
    primary key (tenant_id, upload_id, connection_id),
    foreign key (tenant_id, upload_id) references media_uploads (tenant_id, id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id)
);

-- An outbound media message's file is the upload it sends: its media_files row points at the
-- upload and shares its blob, so /media/{message id} shows what was sent.
alter table media_files
    add column upload_id uuid,
    add constraint media_files_upload_fk foreign key (tenant_id, upload_id) references media_uploads (tenant_id, id);

-- Attachments sent in one go leave in the order given: each waits until the one before it is no
-- longer queued (sent or failed).
alter table messages add column send_after_message_id uuid;

-- When the team first saw an inbound message (an agent opened its conversation); null is unread.
alter table messages add column read_at timestamptz;
create index messages_unread on messages (tenant_id, conversation_id) where direction = 'INBOUND' and read_at is null;

-- Read receipts to send to Meta: one per customer message marked as read (Meta marks the earlier
-- ones too), remembered so that opening the conversation again sends nothing new, retried on failure.
create table whatsapp_read_receipts (
    tenant_id        uuid not null references workspaces (id),
    wamid            text not null,
    conversation_id  uuid not null,
    connection_id    uuid not null,
    state            text not null default 'PENDING' check (state in ('PENDING', 'SENT', 'SUPERSEDED', 'FAILED')),
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    created_at       timestamptz not null,
    sent_at          timestamptz,
    primary key (tenant_id, wamid),
    foreign key (tenant_id, conversation_id) references conversations (tenant_id, id),
    foreign key (tenant_id, connection_id) references whatsapp_connections (tenant_id, id)
);
create index whatsapp_read_receipts_due on whatsapp_read_receipts (next_attempt_at) where state = 'PENDING';
create index whatsapp_read_receipts_by_conversation on whatsapp_read_receipts (tenant_id, conversation_id);
