-- The 24-hour customer-service window runs, like every deadline here, on our clock: from when the
-- customer's latest message reached us (the sender checks the same moment before sending).
alter table conversations add column last_inbound_received_at timestamptz;
update conversations c
   set last_inbound_received_at = (select max(m.created_at) from messages m
                                    where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.direction = 'INBOUND');
