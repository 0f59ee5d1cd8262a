package hexa.contacts;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A marketing message to a contact who opted out of marketing (when, and how) is refused. */
public final class OptedOut extends UserError {

    public OptedOut(String contactName, String when, String source) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, "opted_out", "contacts.consent.marketing-refused", contactName, when, source);
    }
}
