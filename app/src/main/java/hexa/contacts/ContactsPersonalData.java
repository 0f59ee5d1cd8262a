package hexa.contacts;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.CONTACTS;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.Expiry.WITH_OWNER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.member;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the contacts module holds about customers: the contact, its fields, tags, notes, consent and history. */
@Component
class ContactsPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("contacts", List.of("name", "profile_name", "address_book_name", "phone_e164", "wa_id", "whatsapp_user_id", "email", "company",
                                "attributes", "blocked_at", "marketing_consent"),
                        "contact.json: every field and attribute", DELETE, CONTACTS,
                        "The customer: names (given by the business, by WhatsApp's profile, by the business app's address book), number, ids, fields and attributes."),
                customer("contact_tags", List.of("contact_id", "tag"), "contact.json, tags", DELETE, WITH_OWNER, "The contact's tags."),
                customer("contact_notes", List.of("contact_id", "body"), "notes.json", DELETE, WITH_OWNER, "Members' notes about the contact."),
                customer("contact_events", List.of("contact_id", "details"), "timeline.json: the contact's history, with earlier values of corrected fields",
                        DELETE, WITH_OWNER, "The contact's timeline: created, changed (with the values before), tagged, merged, blocked."),
                customer("contact_consent_events", List.of("contact_id", "detail"), "consent.json: the consent ledger", DELETE, WITH_OWNER,
                        "The marketing consent ledger: each opt-in and opt-out with its source and time."),
                customer("contact_referrals", List.of("contact_id", "wamid", "headline", "body", "source_url", "ctwa_clid"), "contact.json, sources",
                        DELETE, WITH_OWNER, "The click-to-WhatsApp ads the contact came from."),
                customer("contact_bulk_job_items", List.of("contact_id"), "left out: which contacts a bulk action selected", DELETE, LOGS,
                        "The contacts a bulk action selected, kept with its job."),
                customer("contact_import_files", List.of("sealed"), "left out: an uploaded file holds many people's rows", DELETE, LOGS,
                        "Uploaded import files (encrypted), kept until the import has run; erasure deletes, whole, the file of an import not yet run that "
                                + "names the person, and that import ends as failed, saying why."),
                customer("contact_import_problems", List.of("value"), "left out: a row an import rejected", DELETE, LOGS,
                        "Rows an import rejected, with the value that was wrong (a number, an email)."),
                member("contact_bulk_jobs", List.of("filter", "started_by_name"), LOGS,
                        "Bulk actions and who started them; the filter is the member's search, which may hold a name."),
                member("contact_imports", List.of("file_name", "created_by_name", "consent_detail"), LOGS, "Imports: the file's name, who ran it, its counts."),
                none("contact_segments", KEPT, "Saved filters."),
                none("contact_attributes", KEPT, "The workspace's contact fields (their definitions, not values)."),
                none("contact_import_mappings", KEPT, "Remembered column headings of imports."),
                none("contact_consent_settings", KEPT, "The business's opt-out and opt-in keywords and replies."));
    }
}
