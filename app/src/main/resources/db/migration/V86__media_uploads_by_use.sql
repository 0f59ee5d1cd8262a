-- Retention removes a member's upload once it is older than the messages' period and no message's file uses it any
-- more: "no message uses it" is looked up by this index, not by reading every media file.
create index media_files_by_upload on media_files (tenant_id, upload_id) where upload_id is not null;
