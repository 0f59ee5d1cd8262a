package hexa.platform.flows;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts a published chatbot flow in a conversation of the current workspace: for a rule's "start a flow" action, an
 * agent in the inbox, a keyword or a click-to-WhatsApp ad. The automation module's flows implement it; it lives in the
 * platform so that the inbox, which the automation module itself uses, may call it without a cycle between the two.
 */
public interface FlowStarter {

    /** Who or what starts a run: {@code reason} is shown on the run (for example "rule Welcome" or "Asha Rao"). */
    record Start(UUID conversationId, UUID contactId, UUID connectionId, UUID flowId, String reason) {
    }

    /** A published flow one can start. */
    record FlowChoice(UUID id, String name) {
    }

    /**
     * Starts the flow's published version; answers the run's id, or empty when the flow is not published or the
     * conversation already has a run going (it is not interrupted).
     */
    Optional<UUID> start(Start start);

    /** The workspace's published flows, by name, for choosing one in a rule or in a conversation. */
    List<FlowChoice> published();

    /**
     * Whether a chatbot flow answers this customer's message, whichever of the flows and the rules hears of it first:
     * a run in the conversation is going (the message starts it or answers it) or took it as an answer, or the message
     * is a published flow's keyword (or comes from an ad, with a flow entered by ads). Rules that reply then leave the
     * answer to the flow, so that a new customer writing a keyword at night gets the flow, not a welcome, an away
     * message and the flow at once.
     */
    boolean answers(UUID conversationId, UUID messageId, List<String> texts, boolean fromAd);
}
