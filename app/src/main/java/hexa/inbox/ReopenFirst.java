package hexa.inbox;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A resolved conversation must be reopened before it can be set pending or snoozed. */
public final class ReopenFirst extends UserError {

    public ReopenFirst() {
        super(HttpStatus.CONFLICT, "conflict", "inbox.status.reopen-first");
    }
}
