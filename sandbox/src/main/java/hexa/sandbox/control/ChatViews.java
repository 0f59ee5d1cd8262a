package hexa.sandbox.control;

import java.time.Instant;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.customers.Chat;
import hexa.sandbox.customers.ChatLine;
import hexa.sandbox.customers.Customer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON the phone simulator renders. */
final class ChatViews {

    private ChatViews() {
    }

    static ObjectNode customer(Customer customer) {
        ObjectNode node = SandboxJson.object();
        node.put("id", customer.key());
        node.put("waId", customer.waId());
        node.put("userId", customer.userId());
        node.put("profileName", customer.profileName());
        node.put("undeliverable", customer.undeliverable());
        node.put("marketingExperiment", customer.inMarketingExperiment());
        return node;
    }

    static ObjectNode chat(Chat chat, Instant now) {
        ObjectNode node = SandboxJson.object();
        node.set("customer", customer(chat.customer()));
        node.put("phoneNumberId", chat.phoneNumberId());
        node.put("serviceWindowOpen", chat.serviceWindowOpen(now));
        node.put("businessTyping", chat.businessTyping(now));
        ArrayNode lines = node.putArray("lines");
        for (ChatLine line : chat.lines()) {
            ObjectNode l = lines.addObject();
            l.put("id", line.id());
            l.put("from", line.from() == ChatLine.From.CUSTOMER ? "customer" : "business");
            l.put("type", line.type());
            l.set("content", line.content());
            if (line.rendered() != null) {
                l.set("rendered", line.rendered());
            }
            l.put("status", line.status());
            if (line.errorCode() != null) {
                l.put("errorCode", line.errorCode());
            }
            if (line.edited() != null) {
                l.set("edited", line.edited());
            }
            l.put("deleted", line.deleted());
            l.put("customerReaction", line.customerReaction());
            l.put("businessReaction", line.businessReaction());
            l.put("at", line.at().toString());
        }
        return node;
    }
}
