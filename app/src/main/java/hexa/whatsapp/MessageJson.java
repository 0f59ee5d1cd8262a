package hexa.whatsapp;



import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message as the API shows it, wherever it is listed (by id, by WhatsApp id, in a conversation): Meta's own
 * message object as {@code content}, with our id, direction, status and Meta's error when it failed, and what the
 * inbox reads out of it: the reactions on it, the ad it came from, an order's items and total, a Flow's answers and
 * the reply tapped. Built by {@link MessageHistory#json}. The shape is documented in {@code docs/api.md}.
 *
 * @param reactions who reacted how: the customer and the team, the latest reaction of each
 * @param referral the click-to-WhatsApp ad (or post) the customer came from, or null
 * @param order an order's items and total, or null
 * @param flow a completed WhatsApp Flow's answers, or null
 * @param reply the reply button, list row or template button tapped, or null
 */
public record MessageJson(UUID id, UUID conversationId, UUID contactId, String direction, String type, JsonNode content,
                          String text, String status, String whatsappId, String replyTo, Integer errorCode, String errorTitle,
                          String errorText, Instant sentAt, Instant statusAt, List<Reaction> reactions, AdReferral referral,
                          Order order, FlowAnswers flow, InteractiveReply reply, Edited edited, boolean deleted, Instant deletedAt,
                          String sentFrom) {

    /** The message was edited: when, the earlier versions (oldest first), and the original's id when it has not reached us. */
    public record Edited(Instant at, java.util.List<MessageView.Version> versions, String originalWhatsappId) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One reaction on the message.
     *
     * @param by {@code contact} (the customer), {@code member} (a member of the team), {@code api} (an integration's
     *           token) or {@code system} (an automation)
     * @param contactId the customer, when {@code by} is {@code contact}
     * @param memberId the member (or the API token) who reacted
     */
    public record Reaction(String emoji, String by, UUID contactId, UUID memberId, Instant at) {
    }

    /**
     * An order sent from a catalog.
     *
     * @param total the sum of quantity × price of the items, or null when they are in several currencies (or a price is no number)
     */
    public record Order(String catalogId, String text, List<Item> items, BigDecimal total, String currency) {

        public record Item(String productRetailerId, BigDecimal quantity, BigDecimal itemPrice, String currency) {
        }

        static Order of(JsonNode message) {
            JsonNode order = message.path("order");
            if (!"order".equals(JsonFields.text(message, "type")) || !order.isObject()) {
                return null;
            }
            List<Item> items = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            String currency = null;
            boolean summable = true;
            for (JsonNode item : order.path("product_items")) {
                BigDecimal quantity = number(JsonFields.text(item, "quantity"));
                BigDecimal price = number(JsonFields.text(item, "item_price"));
                String itemCurrency = blankToNull(JsonFields.text(item, "currency"));
                items.add(new Item(blankToNull(JsonFields.text(item, "product_retailer_id")), quantity, price, itemCurrency));
                if (quantity == null || price == null || (currency != null && !currency.equals(itemCurrency))) {
                    summable = false;
                } else {
                    total = total.add(quantity.multiply(price));
                }
                currency = itemCurrency;
            }
            boolean hasTotal = summable && !items.isEmpty();
            return new Order(blankToNull(JsonFields.text(order, "catalog_id")), blankToNull(JsonFields.text(order, "text")), items,
                    hasTotal ? total.stripTrailingZeros() : null, hasTotal ? currency : null);
        }

        private static BigDecimal number(String text) {
            try {
                return text.isBlank() ? null : new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    static MessageJson of(MessageView v, List<Reaction> reactions) {
        JsonNode content = JSON.readTree(v.content() == null ? "{}" : v.content());
        boolean inbound = v.direction() == MessageDirection.INBOUND;
        return new MessageJson(v.id(), v.conversationId(), v.contactId(), v.direction().name().toLowerCase(Locale.ROOT), v.type().json(),
                content, v.body(), v.status().json(), v.wamid(), v.replyToWamid(), v.errorCode(),
                v.errorTitle(), v.errorDetails(), v.sentAt(), v.statusAt(), reactions == null ? List.of() : List.copyOf(reactions),
                inbound ? AdReferral.of(content) : null, inbound ? Order.of(content) : null,
                inbound ? FlowAnswers.of(content) : null, inbound ? InteractiveReply.of(content) : null,
                v.change().edited() ? new Edited(v.change().editedAt(), v.change().versions(), v.change().editOf()) : null,
                v.change().deleted(), v.change().deletedAt(), v.change().fromBusinessApp() ? "business_app" : null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
