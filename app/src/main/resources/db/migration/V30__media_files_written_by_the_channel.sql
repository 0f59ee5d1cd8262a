-- A customer's media message gets its media_files row from the channel's code in the transaction that stores
-- the message (whatsapp.media.InboundMediaFiles, a listener of InboundMessagesReceived), no longer from a
-- trigger: what writes a table is in the code beside it.
drop trigger messages_inbound_media on messages;
drop function media_files_for_inbound_message();
