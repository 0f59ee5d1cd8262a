-- A member's notifications (every assignment makes one) are deleted with their conversation by the foreign key's
-- cascade, which looks them up by conversation: without this index each deleted conversation read them all.
create index inbox_notifications_by_conversation on inbox_notifications (tenant_id, conversation_id);
