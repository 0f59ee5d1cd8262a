package hexa.sandbox.access;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import hexa.sandbox.control.ControlError;

/**
 * Who is using the phone simulator or the control API. The holder of the control token may do anything; a person
 * the host application signed in sees only the numbers their workspace connected, and changes the sandbox's
 * behaviour (numbers, switches, clock, load runs) only when {@code operator}.
 *
 * @param control       the control token was shown: every number, every action
 * @param workspace     the host's name for the caller's workspace (for its audit trail); null for the token
 * @param phoneNumberIds the numbers the caller may see and use, when not {@code control}
 * @param operator      may register numbers, turn switches, move the clock and start load runs
 * @param headers       headers the simulator's script must send back with each request (the host's CSRF token)
 */
public record SandboxCaller(boolean control, String workspace, Set<String> phoneNumberIds, boolean operator,
        Map<String, String> headers) {

    static final String ATTRIBUTE = SandboxCaller.class.getName();

    public static final SandboxCaller CONTROL = new SandboxCaller(true, null, Set.of(), true, Map.of());

    public SandboxCaller {
        phoneNumberIds = Set.copyOf(phoneNumberIds);
        headers = Map.copyOf(headers);
    }

    /** A person of a workspace that connected {@code phoneNumberIds}. */
    public static SandboxCaller member(String workspace, Set<String> phoneNumberIds, boolean operator, Map<String, String> headers) {
        return new SandboxCaller(false, workspace, phoneNumberIds, operator, headers);
    }

    public boolean sees(String phoneNumberId) {
        return control || (phoneNumberId != null && phoneNumberIds.contains(phoneNumberId));
    }

    /** Numbers, switches, the clock and load runs change what every user of the sandbox gets. */
    public void requireOperator() {
        if (!operator) {
            throw ControlError.forbidden("Only an Owner or Admin may change the sandbox's numbers, switches, clock or load runs.");
        }
    }

    public void requireControl(String what) {
        if (!control) {
            throw ControlError.forbidden(what + " needs the sandbox control token.");
        }
    }

    /** The caller of the request being served; the gate let nobody else through. */
    public static SandboxCaller current() {
        RequestAttributes attributes = RequestContextHolder.currentRequestAttributes();
        SandboxCaller caller = (SandboxCaller) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (caller == null) {
            throw ControlError.unauthorized();
        }
        return caller;
    }

    static void set(HttpServletRequest request, SandboxCaller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }
}
