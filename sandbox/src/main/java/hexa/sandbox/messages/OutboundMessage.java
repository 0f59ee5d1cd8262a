package hexa.sandbox.messages;

import hexa.sandbox.customers.Chat;
import hexa.sandbox.customers.ChatLine;
import hexa.sandbox.numbers.BusinessNumber;

/**
 * A message the business sent and the sandbox accepted: what its statuses need to say.
 *
 * @param pricingCategory Meta's pricing category: "service" for free-form, the template category otherwise
 * @param failure         the error code the message will fail with (131047, 131026), or null
 */
public record OutboundMessage(BusinessNumber number, Chat chat, ChatLine line, String type, String bizOpaqueCallbackData,
        String pricingCategory, Integer failure) {

    public String id() {
        return line.id();
    }

    public boolean isTemplate() {
        return "template".equals(type);
    }
}
