-- A bulk action on everything a filter matches is answered at once: the request only counts the contacts (and
-- refuses a stale count); the job fixes its list of contacts when it starts running, in its own transaction.
-- Jobs started before this change, and selections, have their list already.
alter table contact_bulk_jobs add column contacts_fixed boolean not null default true;
