package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A WhatsApp number belongs to one workspace at a time. */
public final class NumberTaken extends UserError {

    public NumberTaken(String displayPhoneNumber) {
        super(HttpStatus.CONFLICT, "number_taken", "whatsapp.number-taken", displayPhoneNumber);
    }
}
