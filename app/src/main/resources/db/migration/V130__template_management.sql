-- Templates managed from the CRM: Meta's quality rating, a rejection's words, a category Meta changed, and who last
-- changed the template here. Still the one store of templates (V8), kept by the WhatsApp module.

alter table whatsapp_templates add column quality_rating text;
alter table whatsapp_templates add column rejection_detail text;
alter table whatsapp_templates add column previous_category text;
alter table whatsapp_templates add column status_changed_at timestamptz;
