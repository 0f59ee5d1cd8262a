-- Media that customers send (image, audio, video, document, sticker): one file per inbound media
-- message, fetched from Meta with the number's token, checked against Meta's sha256, and kept
-- encrypted in the blob store. The row outlives failed downloads: Meta's media id stays here, so a
-- later retry or a person's "fetch again" can still get the file.

create table media_files (
    tenant_id        uuid not null references workspaces (id),
    message_id       uuid not null,
    kind             text not null check (kind in ('image', 'audio', 'video', 'document', 'sticker')),
    media_id         text,
    mime_type        text,
    declared_sha256  text,
    sha256           text,
    size_bytes       bigint,
    filename         text,
    blob_key         text,
    state            text not null default 'PENDING' check (state in ('PENDING', 'STORED', 'FAILED')),
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    created_at       timestamptz not null,
    stored_at        timestamptz,
    primary key (tenant_id, message_id),
    -- No cascade: deleting a message (retention, erasure) must delete its blob too, through
    -- MediaLibrary.forget, rather than leave an unreachable file on disk.
    foreign key (tenant_id, message_id) references messages (tenant_id, id),
    check (state <> 'STORED' or blob_key is not null)
);
create index media_files_due on media_files (next_attempt_at) where state = 'PENDING';

-- Every inbound media message gets its media_files row in the same transaction as the message
-- itself, whichever code writes the message, so no media can be missed between a write and a sweep
-- and the fetcher never has to scan the messages table. Meta puts the media object under the key
-- named by the type: {"type":"image","image":{"id","mime_type","sha256","caption"}}.
create function media_files_for_inbound_message() returns trigger language plpgsql as $$
begin
    insert into media_files (tenant_id, message_id, kind, media_id, mime_type, declared_sha256, filename,
                             state, next_attempt_at, created_at)
    values (new.tenant_id, new.id, new.type,
            nullif(btrim(new.content -> new.type ->> 'id'), ''),
            nullif(btrim(new.content -> new.type ->> 'mime_type'), ''),
            nullif(btrim(new.content -> new.type ->> 'sha256'), ''),
            nullif(new.content -> new.type ->> 'filename', ''),
            'PENDING', new.created_at, new.created_at)
    on conflict do nothing;
    return null;
end
$$;

create trigger messages_inbound_media after insert on messages
    for each row when (new.direction = 'INBOUND' and new.type in ('image', 'audio', 'video', 'document', 'sticker'))
    execute function media_files_for_inbound_message();

-- Media messages received before this migration.
insert into media_files (tenant_id, message_id, kind, media_id, mime_type, declared_sha256, filename, state, next_attempt_at, created_at)
select m.tenant_id, m.id, m.type,
       nullif(btrim(m.content -> m.type ->> 'id'), ''),
       nullif(btrim(m.content -> m.type ->> 'mime_type'), ''),
       nullif(btrim(m.content -> m.type ->> 'sha256'), ''),
       nullif(m.content -> m.type ->> 'filename', ''),
       'PENDING', m.created_at, m.created_at
  from messages m
 where m.direction = 'INBOUND' and m.type in ('image', 'audio', 'video', 'document', 'sticker')
on conflict do nothing;
