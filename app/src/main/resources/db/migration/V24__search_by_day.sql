-- Inbox search by words, a day at a time: the full-text index now holds each message's day (UTC) beside its workspace
-- and words, so "the matches of the newest day" come straight out of the index (a word in 1 of 1,000 messages has a
-- few hundred matches a day, where the whole workspace has tens of thousands to read and sort). It replaces
-- messages_search (V14), which answered only workspace and words: this one answers those as well.
-- Building it takes as long as building messages_search did (about 3 minutes for 10 million messages on two cores);
-- writes to messages wait meanwhile.
create index if not exists messages_search_by_day on messages using gin (
    tenant_id, ((sent_at at time zone 'UTC')::date), to_tsvector('simple', coalesce(body, '')));
drop index if exists messages_search;
