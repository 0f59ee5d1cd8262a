package hexa.automation.rules;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Why a rule fired or not: each time it was considered, for which conversation and message, whether it fired, the
 * first condition that failed (or what stopped it: the hourly limit, a closed window, a blocked contact...), and what
 * each action did (with the ids of the messages it queued). Kept as long as logs are (180 days by default); erasing a
 * person removes their lines.
 */
public interface RuleLog {

    /** One consideration. {@code outcome} is FIRED, SKIPPED (a condition failed) or BLOCKED (a safety stopped it). */
    record Entry(UUID id, UUID ruleId, Instant at, UUID conversationId, UUID contactId, UUID messageId, String outcome,
                 String reason, List<ActionResult> actions) {
    }

    /** What one action did: {@code ok}, a plain-words {@code detail}, and the message it queued if any. */
    record ActionResult(Rule.ActionKind kind, boolean ok, String detail, UUID messageId) {
    }

    /** A page of the rule's log, newest first; {@code before} is the cursor (the last entry's time), or null for the first page. */
    List<Entry> of(UUID ruleId, Instant before, int limit);
}
