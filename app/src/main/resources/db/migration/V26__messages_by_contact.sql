-- Deleting a contact makes PostgreSQL look for messages that still name them (the foreign key), and deleting,
-- merging or erasing a contact reads and moves their messages: all by (tenant_id, contact_id). The partial index of
-- inbound messages could not serve those lookups, so each one read the whole messages table (0.9 s per contact at
-- 3 million messages, a bulk delete of thousands took hours). One full index replaces the partial one, so writing
-- a message costs no more than before; the 24-hour window's lookup of the last inbound message reads it too.
create index messages_by_contact on messages (tenant_id, contact_id, created_at desc);
drop index messages_inbound_by_contact;
