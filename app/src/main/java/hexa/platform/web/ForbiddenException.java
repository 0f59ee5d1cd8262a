package hexa.platform.web;

import org.springframework.http.HttpStatus;

/** The person is a member of this workspace but their role does not allow this. */
public class ForbiddenException extends UserError {
    public ForbiddenException() {
        super(HttpStatus.FORBIDDEN, "forbidden", "error.forbidden");
    }

    public ForbiddenException(String messageKey, Object... args) {
        super(HttpStatus.FORBIDDEN, "forbidden", messageKey, args);
    }
}
