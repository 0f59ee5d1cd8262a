package hexa.contacts;

import java.time.Instant;
import java.util.UUID;

/**
 * A bulk action running in the background (or done): what it does, to which contacts (a selection of {@code selected}
 * contacts, or those a {@code filter} matched when it was started), how far it is and what it did.
 */
public record BulkJob(UUID id, String action, String tag, UUID ownerId, Integer selected, String filter, String status, long matched,
                      long processed, long changed, long kept, String failure, String startedByName, Instant createdAt, Instant startedAt,
                      Instant finishedAt, boolean withConversations) {

    public boolean finished() {
        return status.equals("done") || status.equals("failed");
    }

    public boolean done() {
        return status.equals("done");
    }

    /** How far, in whole percent (100 once done). */
    public int percent() {
        if (done() || matched == 0) {
            return done() ? 100 : 0;
        }
        return (int) Math.min(100, processed * 100 / matched);
    }

    /** The message key of the outcome, shown once done (its arguments are {@link #outcomeArguments()}). */
    public String outcomeKey() {
        switch (action) {
            case "tag":
                return changed < matched ? "contacts.bulk.done.tag-some-had" : "contacts.bulk.done.tag";
            case "untag":
                return "contacts.bulk.done.untag";
            case "owner":
                return "contacts.bulk.done.owner";
            default:
                return kept > 0 ? "contacts.bulk.done.delete-kept" : "contacts.bulk.done.delete";
        }
    }

    public Object[] outcomeArguments() {
        switch (action) {
            case "tag":
                return new Object[] {changed, tag, matched};
            case "untag":
                return new Object[] {changed, tag};
            case "delete":
                return new Object[] {changed, kept};
            default:
                return new Object[] {changed};
        }
    }

    /** A warning rather than a success: a delete that kept some contacts. */
    public boolean outcomeIsWarning() {
        return action.equals("delete") && kept > 0;
    }
}
