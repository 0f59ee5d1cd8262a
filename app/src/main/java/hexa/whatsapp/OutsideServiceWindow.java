package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A free-form message to a customer who has not written in the last 24 hours: only an approved template may open the conversation. */
public final class OutsideServiceWindow extends UserError {

    public OutsideServiceWindow() {
        super(HttpStatus.UNPROCESSABLE_ENTITY, "outside_window", "whatsapp.send.outside-window");
    }
}
