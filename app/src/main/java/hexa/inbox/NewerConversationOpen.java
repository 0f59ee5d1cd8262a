package hexa.inbox;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A resolved conversation cannot come back while the contact has a newer live one on that number. */
public final class NewerConversationOpen extends UserError {

    public NewerConversationOpen() {
        super(HttpStatus.CONFLICT, "conflict", "inbox.reopen.newer-open");
    }
}
