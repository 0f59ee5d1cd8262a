package hexa.sandbox.access;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Implemented by a host application that mounts the sandbox and signs people in: who the person behind a request
 * is, as far as the sandbox is concerned. Without an implementation only the control token opens the sandbox.
 */
public interface SandboxCallers {

    /** The signed-in person making {@code request}, or empty when nobody is signed in. */
    Optional<SandboxCaller> of(HttpServletRequest request);

    /** A person changed the sandbox ({@code action} such as {@code sandbox.switches_changed}); the host may audit it. */
    default void changed(SandboxCaller caller, String action, String detail) {
    }
}
