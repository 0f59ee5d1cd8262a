package hexa.whatsapp.graph;

/**
 * Meta accepted a message. Acceptance is not delivery: statuses follow by webhook.
 *
 * @param wamid         the WhatsApp message id statuses will refer to
 * @param waId          the recipient's WhatsApp id as Meta resolved it (may differ from the number given)
 * @param input         the recipient as the request named it
 * @param messageStatus {@code accepted}, {@code held_for_quality_assessment} or {@code paused} for a
 *                      paced template, otherwise null
 */
public record SentMessage(String wamid, String waId, String input, String messageStatus) {
}
