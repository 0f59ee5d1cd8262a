package hexa.automation.rules;

import java.util.List;
import java.util.UUID;

/**
 * The test panel: runs a rule (as saved, or as being edited) against a chosen conversation of the workspace without
 * sending or changing anything, and tells what would happen: each condition with its result, then each action as it
 * would run (the reply's text with its parameters filled in, the member it would assign...), or why it would not fire.
 */
public interface RuleTrials {

    record Trial(boolean wouldFire, List<ConditionResult> conditions, List<String> actions, String blockedBy) {
    }

    record ConditionResult(Rule.Condition condition, boolean holds, String detail) {
    }

    Trial trial(Rule rule, UUID conversationId);
}
