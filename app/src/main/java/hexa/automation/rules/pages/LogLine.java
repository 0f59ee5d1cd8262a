package hexa.automation.rules.pages;

import hexa.automation.rules.RuleLog;

/** One line of a rule's log page: the consideration, with the name of the contact it was about (null when erased or unknown). */
public record LogLine(RuleLog.Entry entry, String contactName) {

    public boolean fired() {
        return "FIRED".equals(entry.outcome());
    }

    public boolean blocked() {
        return "BLOCKED".equals(entry.outcome());
    }
}
