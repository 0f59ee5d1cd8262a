-- Automatic messages carry the rule (or flow) that sent them, and its name as it was then: the conversation shows
-- "Sent by rule …" without the inbox depending on automation.
do $$
declare c record;
begin
    for c in select conname from pg_constraint
              where conrelid = 'messages'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%sent_by_kind%'
    loop
        execute format('alter table messages drop constraint %I', c.conname);
    end loop;
end $$;

alter table messages
    add constraint messages_sent_by_kind_check check (sent_by_kind in ('USER', 'API_TOKEN', 'SYSTEM', 'RULE', 'FLOW')),
    add column sent_by_name text;
