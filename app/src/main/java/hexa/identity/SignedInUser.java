package hexa.identity;

import java.io.Serializable;
import java.util.UUID;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The person a session belongs to. Its name is the user id, which is how Spring Session finds all of
 * a person's sessions (to sign the others out after a password change).
 */
record SignedInUser(UUID id, String email) implements AuthenticatedPrincipal, Serializable {

    @Override
    public String getName() {
        return id.toString();
    }
}
