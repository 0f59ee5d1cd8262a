package hexa.whatsapp.graph;

/**
 * Meta's answer to a new template: it waits for review ({@code PENDING}) until a
 * {@code message_template_status_update} webhook says otherwise.
 */
public record TemplateSubmission(String id, String status, String category) {
}
