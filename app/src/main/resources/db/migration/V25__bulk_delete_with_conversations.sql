-- A bulk delete keeps the contacts who have conversations unless the person starting it asked, on the
-- confirmation, to delete those conversations and their messages too.
alter table contact_bulk_jobs add column with_conversations boolean not null default false;
