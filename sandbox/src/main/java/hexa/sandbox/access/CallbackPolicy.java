package hexa.sandbox.access;

import java.util.Optional;

/**
 * Where a number registered through the control API may send its webhooks. A host application that mounts the
 * sandbox allows only its own webhook path, so that nobody can make the server call other addresses; without one,
 * any http or https address is allowed (the standalone sandbox, run by its operator).
 */
public interface CallbackPolicy {

    /** Empty when {@code callbackUrl} is allowed, else the reason it is not, in plain words. */
    Optional<String> refusal(String callbackUrl);
}
