package hexa.identity;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A workspace keeps at least one active Owner. */
public final class LastOwner extends UserError {

    public LastOwner() {
        super(HttpStatus.CONFLICT, "last_owner", "members.last-owner");
    }
}
