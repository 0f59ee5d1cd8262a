-- A person who stops (or resumes) marketing messages in WhatsApp's own settings is recorded in the consent ledger with
-- the source 'whatsapp_setting', like a STOP keyword: their own choice, which an import or a form does not undo.
do $$
declare c record;
begin
    for c in select conrelid::regclass::text as tbl, conname from pg_constraint
              where contype = 'c' and conrelid::regclass::text in ('contacts', 'contact_consent_events')
                and pg_get_constraintdef(oid) like '%keyword%api%'
    loop
        execute format('alter table %s drop constraint %I', c.tbl, c.conname);
    end loop;
end $$;
alter table contacts add constraint contacts_marketing_consent_source_check
    check (marketing_consent_source in ('import', 'agent', 'form', 'keyword', 'api', 'whatsapp_setting'));
alter table contact_consent_events add constraint contact_consent_events_source_check
    check (source in ('import', 'agent', 'form', 'keyword', 'api', 'whatsapp_setting'));
