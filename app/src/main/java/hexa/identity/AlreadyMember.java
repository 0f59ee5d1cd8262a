package hexa.identity;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** An invitation to someone who is already a member of the workspace. */
public final class AlreadyMember extends UserError {

    public AlreadyMember(String address) {
        super(HttpStatus.CONFLICT, "already_member", "invitation.already-member", address);
    }
}
