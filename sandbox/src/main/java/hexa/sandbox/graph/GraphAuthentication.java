package hexa.sandbox.graph;

import org.springframework.stereotype.Component;

import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;

/**
 * Bearer-token checks as Meta makes them: an unknown or missing token is 190; a known token asking
 * about an object it may not see gets "object does not exist" (100, subcode 33).
 */
@Component
public class GraphAuthentication {

    private final SandboxNumbers numbers;

    public GraphAuthentication(SandboxNumbers numbers) {
        this.numbers = numbers;
    }

    /** The number the token belongs to. */
    public BusinessNumber caller(String authorization) {
        String token = bearer(authorization);
        return numbers.withAccessToken(token).orElseThrow(GraphError::invalidAccessToken);
    }

    /** The number in the path, provided the token may use it. */
    public BusinessNumber number(String authorization, String phoneNumberId, String method) {
        BusinessNumber caller = caller(authorization);
        BusinessNumber number = numbers.find(phoneNumberId).orElseThrow(() -> GraphError.unknownObject(phoneNumberId, method));
        if (!number.accessToken().equals(caller.accessToken())) {
            throw GraphError.unknownObject(phoneNumberId, method);
        }
        return number;
    }

    /** Checks that the token belongs to a number of this WABA. */
    public BusinessNumber waba(String authorization, String wabaId, String method) {
        BusinessNumber caller = caller(authorization);
        boolean allowed = numbers.ofWaba(wabaId).stream().anyMatch(n -> n.accessToken().equals(caller.accessToken()));
        if (!allowed) {
            throw GraphError.unknownObject(wabaId, method);
        }
        return caller;
    }

    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
        }
        return null;
    }
}
