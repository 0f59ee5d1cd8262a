package hexa.whatsapp.graph;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what a Graph API failure means for the person who has to act on it: an admin with an
 * expired token, an agent outside the 24-hour window, an operator whose server cannot reach Meta.
 * The texts are in {@code messages-whatsapp.properties} under {@code whatsapp.error.}.
 */
public final class GraphErrors {

    private static final String PREFIX = "whatsapp.error.";
    // Meta's "object does not exist" names the id in its message: "Object with ID '123' does not exist".
    private static final Pattern OBJECT_ID = Pattern.compile("Object with ID '([^']+)'");

    private GraphErrors() {
    }

    public static GraphErrorExplanation explain(GraphApiException failure) {
        GraphFailure f = failure.failure();
        String where = failure.graphUrl() == null ? "" : failure.graphUrl();
        switch (f.reason()) {
            case UNREACHABLE:
                return GraphErrorExplanation.of(PREFIX + "unreachable", where);
            case TIMED_OUT:
                return GraphErrorExplanation.of(PREFIX + "timed-out", where);
            case UNEXPECTED_ANSWER:
                return GraphErrorExplanation.of(PREFIX + "unexpected-answer", where);
            case TOO_MANY_PAGES:
                return GraphErrorExplanation.of(PREFIX + "too-many-pages", where);
            case TOO_LARGE:
                return GraphErrorExplanation.of(PREFIX + "media-too-large");
            case HTTP_ERROR:
                return f.httpStatus() >= 500
                        ? GraphErrorExplanation.of(PREFIX + "meta-unavailable", "HTTP " + f.httpStatus())
                        : GraphErrorExplanation.of(PREFIX + "http-status", Integer.toString(f.httpStatus()), where);
            default:
                break;
        }
        if (f.code() == null) {
            return GraphErrorExplanation.of(PREFIX + "http-status", Integer.toString(f.httpStatus()), where);
        }
        if (f.code() == 100 && f.subcode() != null && f.subcode() == 33) {
            return GraphErrorExplanation.of(PREFIX + "unknown-id", objectId(f));
        }
        return explain(f.code(), f.details() != null ? f.details() : f.message());
    }

    /**
     * For a code Meta reported without a call of ours failing, e.g. in a {@code failed} status webhook
     * ({@code errors[].code} and {@code error_data.details}).
     */
    public static GraphErrorExplanation explain(int code, String details) {
        String detail = details == null || details.isBlank() ? "-" : details;
        String number = Integer.toString(code);
        switch (code) {
            case 0:
            case 190:
                return GraphErrorExplanation.of(PREFIX + "token-invalid");
            case 3:
            case 10:
            case 131005:
                return GraphErrorExplanation.of(PREFIX + "permission-missing", number);
            case 100:
                return GraphErrorExplanation.of(PREFIX + "invalid-parameter", detail);
            case 131008:
                return GraphErrorExplanation.of(PREFIX + "missing-parameter", detail);
            case 131009:
                return GraphErrorExplanation.of(PREFIX + "invalid-value", detail);
            case 131047:
                return GraphErrorExplanation.of(PREFIX + "outside-window");
            case 131026:
                return GraphErrorExplanation.of(PREFIX + "undeliverable");
            case 131053:
                return GraphErrorExplanation.of(PREFIX + "media-unusable", detail);
            case 132000:
                return GraphErrorExplanation.of(PREFIX + "template-parameter-count", detail);
            case 132001:
                return GraphErrorExplanation.of(PREFIX + "template-unknown", detail);
            case 130429:
                return GraphErrorExplanation.of(PREFIX + "throughput-reached");
            case 131056:
                return GraphErrorExplanation.of(PREFIX + "pair-rate-limit");
            case 131048:
                return GraphErrorExplanation.of(PREFIX + "spam-rate-limit");
            case 131049:
                return GraphErrorExplanation.of(PREFIX + "per-user-marketing-limit");
            case 130472:
                return GraphErrorExplanation.of(PREFIX + "experiment");
            case 131050:
                return GraphErrorExplanation.of(PREFIX + "stopped-marketing");
            case 131064:
                return GraphErrorExplanation.of(PREFIX + "messaging-limit-classification");
            case 4:
            case 613:
            case 80007:
                return GraphErrorExplanation.of(PREFIX + "api-rate-limit", number);
            case 1:
            case 2:
            case 131000:
            case 131016:
            case 131057:
            case 133004:
                return GraphErrorExplanation.of(PREFIX + "meta-unavailable", number);
            default:
                if (code >= 200 && code <= 299) {
                    return GraphErrorExplanation.of(PREFIX + "permission-missing", number);
                }
                return GraphErrorExplanation.of(PREFIX + "other", number, detail);
        }
    }

    private static String objectId(GraphFailure f) {
        for (String text : new String[] {f.message(), f.details()}) {
            if (text != null) {
                Matcher id = OBJECT_ID.matcher(text);
                if (id.find()) {
                    return id.group(1);
                }
            }
        }
        return "-";
    }
}
