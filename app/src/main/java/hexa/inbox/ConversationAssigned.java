package hexa.inbox;

import java.util.UUID;

/**
 * A conversation's assignee or team changed: by a person or API token, or on its own when it opened
 * ({@code automatic}: the number's assignment rule, round-robin among those available). Either may be null
 * (nobody, no team).
 */
public record ConversationAssigned(UUID tenantId, UUID conversationId, UUID assigneeId, UUID teamId, boolean automatic) {
}
