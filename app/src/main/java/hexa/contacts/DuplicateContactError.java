package hexa.contacts;

import hexa.platform.web.UserError;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * One contact per number (and per WhatsApp user id) in a workspace: creating or changing a contact to
 * one that another contact already has is refused, naming that contact so the caller can go to it or
 * merge the two. The API answers 409 with {@code existingContactId}.
 */
public class DuplicateContactError extends UserError {

    private final UUID existingContactId;

    public DuplicateContactError(UUID existingContactId, String messageKey, Object... args) {
        super(HttpStatus.CONFLICT, "conflict", messageKey, args);
        this.existingContactId = existingContactId;
    }

    public UUID existingContactId() {
        return existingContactId;
    }
}
