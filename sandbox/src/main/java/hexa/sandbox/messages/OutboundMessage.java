package hexa.sandbox.messages;

import hexa.sandbox.customers.Chat;
import hexa.sandbox.customers.ChatLine;
import hexa.sandbox.numbers.BusinessNumber;

/**
 * A message the business sent and the sandbox accepted: what its statuses need to say.
 *
 * @param pricing the {@code pricing} object its sent and delivered statuses carry
 * @param failure the error code the message will fail with (131047, 131026, 131049, 130472…), or null
 */
public record OutboundMessage(BusinessNumber number, Chat chat, ChatLine line, String type, String bizOpaqueCallbackData,
        Pricing pricing, Integer failure) {

    public String id() {
        return line.id();
    }

    public boolean isTemplate() {
        return "template".equals(type);
    }

    /**
     * Meta's per-message pricing (PMP) as its status webhooks carry it: {@code {billable, pricing_model, type, category}}
     * (CONTRACT.md §4.3).
     *
     * @param category "marketing", "utility", "authentication" for templates, "service" for free-form messages
     * @param type     "regular" (charged) or "free_customer_service"
     */
    public record Pricing(boolean billable, String type, String category) {

        /**
         * What a message costs under per-message pricing: free-form messages (only possible in an open customer service
         * window) and utility templates sent in an open window are free; marketing and authentication templates are
         * charged, and so is a utility template outside a window.
         *
         * @param templateCategory the template's category, or null for a free-form message
         */
        public static Pricing of(String templateCategory, boolean windowOpen) {
            if (templateCategory == null) {
                return new Pricing(false, "free_customer_service", "service");
            }
            String category = templateCategory.toLowerCase(java.util.Locale.ROOT);
            if ("utility".equals(category) && windowOpen) {
                return new Pricing(false, "free_customer_service", category);
            }
            return new Pricing(true, "regular", category);
        }
    }
}
