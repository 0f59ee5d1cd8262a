-- Search in the inbox: words in messages (full-text, any language: the 'simple' configuration does not
-- stem, so Hindi, Gujarati or Spanish words match as typed) and parts of contact names and numbers
-- (trigrams). Both indexes lead with the workspace, so one workspace's search never reads another's.
-- pg_trgm and btree_gin are trusted extensions: a database owner may create them.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

create index messages_search on messages using gin (tenant_id, to_tsvector('simple', coalesce(body, '')));
create index contacts_search on contacts using gin (
    tenant_id,
    (lower(coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || coalesce(phone_e164, '') || ' ' || coalesce(whatsapp_user_id, ''))) gin_trgm_ops);
