package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A send from a phone number id that is not one of the workspace's connected numbers. */
public final class UnknownNumber extends UserError {

    public UnknownNumber(String phoneNumberId) {
        super(HttpStatus.NOT_FOUND, "unknown_number", "whatsapp.send.unknown-number", phoneNumberId);
    }
}
