package hexa.platform.web;

import org.springframework.http.HttpStatus;

/**
 * The thing does not exist for the person asking. Something that belongs to another workspace is
 * reported exactly the same way, so that its existence is never revealed.
 */
public class NotFoundException extends UserError {
    public NotFoundException() {
        super(HttpStatus.NOT_FOUND, "not_found", "error.not-found");
    }
}
