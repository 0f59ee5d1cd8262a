package hexa.sandbox.messages;

import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxClock;
import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxScheduler;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.WhatsAppIds;
import hexa.sandbox.customers.Customer;
import hexa.sandbox.webhooks.WebhookDeliveries;
import hexa.sandbox.webhooks.WebhookEvent;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happens to an accepted message afterwards, reported by status webhooks: sent, delivered,
 * read (and played for audio), or failed with Meta's {@code errors[]}. Reactions only get sent.
 */
@Component
public class StatusProgression {

    private static final String ERROR_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

    private final SandboxScheduler scheduler;
    private final SandboxSwitches switches;
    private final WebhookDeliveries deliveries;
    private final SandboxClock clock;
    private final SandboxStats stats;
    private final WhatsAppIds ids;

    public StatusProgression(SandboxScheduler scheduler, SandboxSwitches switches, WebhookDeliveries deliveries,
            SandboxClock clock, SandboxStats stats, WhatsAppIds ids) {
        this.scheduler = scheduler;
        this.switches = switches;
        this.deliveries = deliveries;
        this.clock = clock;
        this.stats = stats;
        this.ids = ids;
    }

    public void start(OutboundMessage message) {
        if (message.failure() != null) {
            scheduler.later(switches.sentDelayMs, () -> fail(message, message.failure()));
            return;
        }
        scheduler.later(switches.sentDelayMs, () -> emit(message, "sent"));
        if ("reaction".equals(message.type())) {
            return;
        }
        boolean reads = ids.random().nextDouble() < switches.readRate;
        boolean skipDelivered = reads && ids.random().nextDouble() < switches.skipDeliveredRate;
        if (!skipDelivered) {
            scheduler.later(switches.deliveredDelayMs, () -> emit(message, "delivered"));
        }
        if (reads) {
            scheduler.later(switches.readDelayMs, () -> {
                emit(message, "read");
                if ("audio".equals(message.type())) {
                    emit(message, "played");
                }
            });
        }
    }

    private void emit(OutboundMessage message, String status) {
        ObjectNode item = base(message, status);
        if ("sent".equals(status) || "delivered".equals(status)) {
            // Meta's sent example carries pricing, and it "appears on only one of delivered/read" (CONTRACT.md §4.3):
            // here on sent and delivered, never on read or failed.
            ObjectNode pricing = item.putObject("pricing");
            pricing.put("billable", message.pricing().billable());
            pricing.put("pricing_model", "PMP");
            pricing.put("type", message.pricing().type());
            pricing.put("category", message.pricing().category());
        }
        message.line().changeStatus(status, null);
        publish(message, item);
    }

    private void fail(OutboundMessage message, int code) {
        ObjectNode item = base(message, "failed");
        ObjectNode error = item.putArray("errors").addObject();
        error.put("code", code);
        String title;
        String details;
        String href = ERROR_HREF;
        if (code == 131047) {
            title = "Re-engagement message";
            details = "Message failed to send because more than 24 hours have passed since the customer last replied to this number.";
        } else if (code == 131026) {
            title = "Message undeliverable";
            details = "Message Undeliverable.";
        } else if (code == 131049) {
            // Meta's own example (status-failed-131049.json), href included.
            title = "This message was not delivered to maintain healthy ecosystem engagement.";
            details = "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.";
            href = "/documentation/business-messaging/whatsapp/support/error-codes";
        } else if (code == 131048) {
            title = "Spam rate limit hit";
            details = "Message failed to send because there are restrictions on how many messages can be sent from this phone number. "
                    + "This may be because too many previous messages were blocked or flagged as spam.";
        } else if (code == 130472) {
            title = "User's number is part of an experiment";
            details = "Failed to send message because this user's phone number is part of an experiment";
        } else {
            title = "Unknown error";
            details = "Message failed to send.";
        }
        error.put("title", title);
        error.put("message", title);
        error.putObject("error_data").put("details", details);
        error.put("href", href);
        message.line().changeStatus("failed", code);
        stats.failedStatus(code);
        publish(message, item);
    }

    private ObjectNode base(OutboundMessage message, String status) {
        ObjectNode item = SandboxJson.object();
        item.put("id", message.id());
        item.put("status", status);
        item.put("timestamp", clock.unixSeconds());
        Customer customer = message.chat().customer();
        item.put("recipient_id", customer.waId() != null ? customer.waId() : customer.userId());
        if (message.bizOpaqueCallbackData() != null) {
            item.put("biz_opaque_callback_data", message.bizOpaqueCallbackData());
        }
        return item;
    }

    private void publish(OutboundMessage message, ObjectNode item) {
        stats.statusesEmitted.increment();
        deliveries.publish(message.number(), WebhookEvent.status(message.number().wabaId(),
                message.number().phoneNumberId(), message.number().displayPhoneNumber(), item));
    }
}
