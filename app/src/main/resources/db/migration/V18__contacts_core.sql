-- Contact notes may be written through the API, where an API token acts and no person does: the
-- token is then the author (only it may edit or delete the note). The author's name as it was when
-- writing is kept too, so a note still says who wrote it after the member or token is gone.
alter table contact_notes
    add column author_token_id uuid,
    add column author_name     text;

-- The contact page's timeline reads a contact's field and attribute changes, notes and consent
-- changes newest first; the indexes of V17 serve it. Conversations are read by the inbox's
-- conversations_by_contact index.
