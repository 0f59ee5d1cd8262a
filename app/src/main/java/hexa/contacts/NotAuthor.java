package hexa.contacts;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** Only the author of a note (a member, or the API token that wrote it) may change or delete it. */
public final class NotAuthor extends UserError {

    public NotAuthor() {
        super(HttpStatus.FORBIDDEN, "not_author", "contacts.core.note-not-author");
    }
}
