package hexa.automation.flows;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One run of a flow's version in a conversation: where it is ({@code currentStep}), what it collected ({@code answers},
 * step id → the answer's text), and its state: {@code running} or {@code waiting} (for an answer) while it goes on,
 * then {@code handed_over}, {@code ended}, {@code timed_out} (no answer in time, nowhere to go) or {@code stopped} (an
 * agent replied, or it was taken off).
 */
public record FlowRun(UUID id, UUID flowId, String flowName, int version, UUID conversationId, UUID contactId, UUID connectionId, String state,
                      String currentStep, Map<String, Object> answers, String startedBy, Instant startedAt, Instant updatedAt, Instant endedAt) {

    public boolean going() {
        return "running".equals(state) || "waiting".equals(state);
    }

    /** A step the run took: what it was, what came of it ({@code sent}, {@code asked}, {@code answered}, ...), the answer. */
    public record StepTaken(int position, String stepId, String stepType, String outcome, String answer, UUID messageId, Instant takenAt) {
    }

    /** Per step of a flow (all versions): runs that reached it, answers taken there, runs that stopped there (waiting, timed out, stopped). */
    public record StepCount(String stepId, long reached, long answered, long stoppedHere) {
    }
}
