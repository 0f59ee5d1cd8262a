package hexa.whatsapp;

import static hexa.platform.privacy.PersonalTable.Erasure.DELETE;
import static hexa.platform.privacy.PersonalTable.Expiry.LOGS;
import static hexa.platform.privacy.PersonalTable.Expiry.MESSAGES;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.Expiry.WEBHOOK_BODIES;
import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.WITH_OWNER;
import static hexa.platform.privacy.PersonalTable.customer;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** What the channel holds about customers: their messages, files, statuses and reactions, and Meta's raw webhooks. */
@Component
class WhatsAppPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                customer("messages", List.of("contact_id", "conversation_id", "body", "content", "edits", "error_details", "wamid"),
                        "messages.json and conversations.html, every message of the person's conversations", DELETE, MESSAGES,
                        "Every message to and from a customer, with its text, content as Meta sent it, and earlier versions of an edited one."),
                customer("message_status_events", List.of("wamid", "recipient_id", "errors"),
                        "messages.json, each message's statuses", DELETE, WITH_OWNER,
                        "Meta's delivery statuses of outbound messages; the recipient is the customer's WhatsApp id."),
                customer("message_reactions", List.of("target_wamid", "reactor", "emoji"),
                        "messages.json, each message's reactions", DELETE, WITH_OWNER,
                        "Reactions on messages, by the customer or by the business."),
                customer("media_files", List.of("message_id", "filename", "blob_key", "sha256"),
                        "media/, the files themselves, named by message", DELETE, WITH_OWNER,
                        "Files sent or received in messages; the blob on disk goes with the row."),
                customer("whatsapp_read_receipts", List.of("wamid", "conversation_id"),
                        "left out: a technical queue of read marks to send to Meta", DELETE, OWN_TIMER,
                        "Read marks waiting to be sent to Meta; sent within seconds, then kept until the message expires."),
                customer("webhook_events", List.of("body"),
                        "left out: raw copies of what the export already holds as messages", DELETE, WEBHOOK_BODIES,
                        "Meta's webhook POSTs as received, kept until processed plus 7 days; they hold message text and numbers."),
                customer("webhook_parked_changes", List.of("item"),
                        "left out: a change the app could not apply, shown to Admins", DELETE, LOGS,
                        "Webhook changes the app could not apply, with the raw change, for an Admin to apply again."),
                customer("api_idempotency_keys", List.of("body"),
                        "left out: the answer to an integration's request, kept 24 hours", DELETE, OWN_TIMER,
                        "The first answer to a POST /api/v1/messages with an Idempotency-Key (holds the message's text), kept 24 hours."),
                none("media_uploads", MESSAGES,
                        "Files members uploaded to send; the copy each customer received is a media_files row of their message."),
                none("media_uploads_at_meta", WITH_OWNER, "Meta's ids for uploaded files."),
                none("whatsapp_connections", KEPT, "The business's own WhatsApp numbers and their credentials (sealed)."),
                none("whatsapp_numbers", KEPT, "Which workspace each of the business's numbers belongs to."),
                none("whatsapp_templates", KEPT, "The business's message templates."),
                none("whatsapp_account_notices", OWN_TIMER, "Meta's notices about the business's account, kept until they expire."),
                none("whatsapp_shared_app_approvals", KEPT, "Which workspaces may share a Meta app; the number is the business's own."));
    }
}
