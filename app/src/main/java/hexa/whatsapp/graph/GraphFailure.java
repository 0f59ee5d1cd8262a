package hexa.whatsapp.graph;

import java.util.Set;

/**
 * What went wrong with one Graph API call: Meta's error envelope when Meta answered with one
 * ({@code {"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}}),
 * otherwise what the client saw. Meta advises acting on {@code code}, never on titles or HTTP
 * statuses, so {@link Kind} is decided by the code first and by the HTTP status only without one.
 *
 * @param httpStatus the HTTP status, 0 when no answer came
 * @param code       Meta's error code, null when the answer had none
 * @param subcode    Meta's {@code error_subcode} (deprecated by Meta, still sent), or null
 * @param type       Meta's error type, e.g. {@code OAuthException}, or null
 * @param message    Meta's message ("(#131009) Parameter value is not valid"), or what the client saw
 * @param details    Meta's {@code error_data.details}, or null
 * @param fbtraceId  Meta's trace id to quote to Meta support, or null
 * @param reason     where the failure came from
 * @param kind       what a caller should do about it
 */
public record GraphFailure(int httpStatus, Integer code, Integer subcode, String type, String message, String details,
                           String fbtraceId, Reason reason, Kind kind) {

    /** What a caller should do about a failure. */
    public enum Kind {
        /** The access token expired or is invalid: a person must paste a new one. */
        AUTHENTICATION,
        /** The token lacks a permission: a person must grant it in Meta Business Settings. */
        PERMISSION,
        /** The request itself is wrong (an id, a parameter): sending it again fails again. */
        BAD_REQUEST,
        /** Too fast for Meta: retry later, more slowly. */
        RATE_LIMITED,
        /** Meta or the network had a passing problem: retry with backoff. */
        TRANSIENT,
        /** Will fail the same way until something changes (recipient, template, window, media). */
        PERMANENT;

        public boolean isRetryable() {
            return this == RATE_LIMITED || this == TRANSIENT;
        }
    }

    /** Where a failure came from. */
    public enum Reason {
        /** Meta answered with its error envelope. */
        META_ERROR,
        /** A non-2xx answer without Meta's envelope (a proxy, a wrong URL). */
        HTTP_ERROR,
        /** No connection could be made (refused, unknown host, connect timeout). */
        UNREACHABLE,
        /** Connected, but no answer within the read timeout. */
        TIMED_OUT,
        /** A 2xx answer that is not the JSON Meta sends: most likely the Graph API URL points elsewhere. */
        UNEXPECTED_ANSWER,
        /** A listing that kept announcing more pages beyond any real account's size. */
        TOO_MANY_PAGES,
        /** A media download larger than the configured maximum. */
        TOO_LARGE
    }

    // Codes from CONTRACT.md section 6.2 and the caller's brief; anything unlisted is PERMANENT.
    private static final Set<Integer> AUTHENTICATION_CODES = Set.of(0, 190);
    private static final Set<Integer> PERMISSION_CODES = Set.of(3, 10, 131005);
    private static final Set<Integer> BAD_REQUEST_CODES = Set.of(100, 131008, 131009);
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 613, 80007, 130429, 131056);
    // 131057 is the up-to-a-minute throughput upgrade window; 133004 "server temporarily unavailable".
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 131000, 131016, 131057, 133004);

    public boolean isRetryable() {
        return kind.isRetryable();
    }

    /** Meta's classification of an error code, the HTTP status deciding only when the code does not. */
    public static Kind classify(int httpStatus, Integer code, boolean metaSaysTransient) {
        if (code != null) {
            if (AUTHENTICATION_CODES.contains(code)) {
                return Kind.AUTHENTICATION;
            }
            if (PERMISSION_CODES.contains(code) || (code >= 200 && code <= 299)) {
                return Kind.PERMISSION;
            }
            if (BAD_REQUEST_CODES.contains(code)) {
                return Kind.BAD_REQUEST;
            }
            if (RATE_LIMIT_CODES.contains(code)) {
                return Kind.RATE_LIMITED;
            }
            if (TRANSIENT_CODES.contains(code)) {
                return Kind.TRANSIENT;
            }
        }
        if (metaSaysTransient || httpStatus >= 500 || httpStatus == 408) {
            return Kind.TRANSIENT;
        }
        if (code != null) {
            return Kind.PERMANENT;
        }
        if (httpStatus == 401) {
            return Kind.AUTHENTICATION;
        }
        if (httpStatus == 403) {
            return Kind.PERMISSION;
        }
        if (httpStatus == 429) {
            return Kind.RATE_LIMITED;
        }
        if (httpStatus >= 400) {
            return Kind.BAD_REQUEST;
        }
        return Kind.PERMANENT;
    }

    static GraphFailure metaError(int httpStatus, Integer code, Integer subcode, String type, String message,
            String details, String fbtraceId, boolean metaSaysTransient) {
        return new GraphFailure(httpStatus, code, subcode, type, message, details, fbtraceId, Reason.META_ERROR,
                classify(httpStatus, code, metaSaysTransient));
    }

    static GraphFailure httpError(int httpStatus) {
        return new GraphFailure(httpStatus, null, null, null, "HTTP " + httpStatus, null, null, Reason.HTTP_ERROR,
                classify(httpStatus, null, false));
    }

    static GraphFailure unreachable(String what) {
        return new GraphFailure(0, null, null, null, what, null, null, Reason.UNREACHABLE, Kind.TRANSIENT);
    }

    static GraphFailure timedOut(String what) {
        return new GraphFailure(0, null, null, null, what, null, null, Reason.TIMED_OUT, Kind.TRANSIENT);
    }

    static GraphFailure unexpectedAnswer(int httpStatus, String what) {
        return new GraphFailure(httpStatus, null, null, null, what, null, null, Reason.UNEXPECTED_ANSWER,
                Kind.PERMANENT);
    }

    static GraphFailure tooManyPages(int pages) {
        return new GraphFailure(200, null, null, null, "Still more pages after " + pages, null, null,
                Reason.TOO_MANY_PAGES, Kind.PERMANENT);
    }

    static GraphFailure tooLarge(int httpStatus, long limitBytes) {
        return new GraphFailure(httpStatus, null, null, null, "The media is larger than " + limitBytes + " bytes", null,
                null, Reason.TOO_LARGE, Kind.PERMANENT);
    }
}
