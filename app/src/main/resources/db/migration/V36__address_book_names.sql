-- The name a contact has in the address book of the WhatsApp Business app on a coexistence number (smb_app_state_sync).
-- It becomes the contact's name while no one in the team has named the contact otherwise; removing it from the app's
-- address book clears it (and the name it gave), never the contact.
alter table contacts add column address_book_name text;
