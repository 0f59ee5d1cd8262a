package hexa.whatsapp.graph;

/**
 * A Graph API call that did not succeed: Meta refused it, or it never got an answer. Carries Meta's
 * error fields and a {@link GraphFailure.Kind} so that callers decide to retry, to slow down, or to
 * ask a person to act, and {@link GraphErrors} can say what happened in plain words.
 */
public class GraphApiException extends RuntimeException {

    private final GraphFailure failure;
    private final String graphUrl;

    GraphApiException(GraphFailure failure, String graphUrl, String request, Throwable cause) {
        super(describe(failure, request), cause);
        this.failure = failure;
        this.graphUrl = graphUrl;
    }

    public GraphFailure failure() {
        return failure;
    }

    public GraphFailure.Kind kind() {
        return failure.kind();
    }

    public boolean isRetryable() {
        return failure.isRetryable();
    }

    /** The HTTP status, 0 when no answer came. */
    public int httpStatus() {
        return failure.httpStatus();
    }

    /** Meta's error code, or null when the answer had none (or there was no answer). */
    public Integer code() {
        return failure.code();
    }

    public Integer subcode() {
        return failure.subcode();
    }

    public String type() {
        return failure.type();
    }

    /** Meta's error message, or what the client saw. */
    public String graphMessage() {
        return failure.message();
    }

    public String details() {
        return failure.details();
    }

    public String fbtraceId() {
        return failure.fbtraceId();
    }

    /** The Graph API (or media host) that was called, without path: what a person should check. */
    public String graphUrl() {
        return graphUrl;
    }

    private static String describe(GraphFailure failure, String request) {
        StringBuilder text = new StringBuilder("Graph API ").append(request).append(" failed: ");
        if (failure.httpStatus() > 0) {
            text.append("HTTP ").append(failure.httpStatus()).append(", ");
        }
        text.append(failure.kind());
        if (failure.code() != null) {
            text.append(", code ").append(failure.code());
            if (failure.subcode() != null) {
                text.append('/').append(failure.subcode());
            }
        }
        text.append(", ").append(failure.message());
        if (failure.details() != null) {
            text.append(" (").append(failure.details()).append(')');
        }
        if (failure.fbtraceId() != null) {
            text.append(" [fbtrace_id ").append(failure.fbtraceId()).append(']');
        }
        return text.toString();
    }
}
