package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** Only a failed message can be sent again. */
public final class MessageNotFailed extends UserError {

    public MessageNotFailed() {
        super(HttpStatus.CONFLICT, "not_failed", "whatsapp.send.retry-not-failed");
    }
}
