-- A private note written by automation (a chatbot flow's handover with the customer's answers) has no member as its
-- author: it names what wrote it instead.
alter table conversation_notes alter column author_id drop not null;
alter table conversation_notes add column author_label text;
alter table conversation_notes add constraint conversation_notes_author check (author_id is not null or author_label is not null);
