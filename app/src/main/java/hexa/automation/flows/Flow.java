package hexa.automation.flows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A chatbot flow of the workspace: its name, how customers enter it (a message that is one of its {@code keywords},
 * or a click-to-WhatsApp ad's message when {@code adEntry}), its draft, and its published version (null: never
 * published) that new runs use.
 */
public record Flow(UUID id, String name, List<String> keywords, boolean adEntry, FlowDefinition draft, Integer publishedVersion,
                   Instant createdAt, Instant updatedAt) {

    public Flow {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }

    /** One published version: an immutable definition. */
    public record Version(int version, FlowDefinition definition, Instant publishedAt, String publishedBy) {
    }
}
