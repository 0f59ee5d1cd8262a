package hexa.sandbox.graph;

/**
 * A failure the Graph API answers synchronously, rendered as Meta's error envelope:
 * {@code {"error":{"message","type","code","error_subcode"?,"error_data":{"messaging_product","details"},"fbtrace_id"}}}.
 * Meta advises clients to act on {@code code}; the message and details follow Meta's wording.
 */
public class GraphError extends RuntimeException {

    private final int httpStatus;
    private final int code;
    private final Integer subcode;
    private final String type;
    private final String details;

    public GraphError(int httpStatus, int code, Integer subcode, String type, String message, String details) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.subcode = subcode;
        this.type = type;
        this.details = details;
    }

    public static GraphError invalidAccessToken() {
        return new GraphError(401, 190, null, "OAuthException",
                "Invalid OAuth access token - Cannot parse access token", "Invalid OAuth access token");
    }

    /** Meta's answer when a token may not touch the object, or the object does not exist. */
    public static GraphError unknownObject(String id, String method) {
        return new GraphError(400, 100, 33, "GraphMethodException",
                "Unsupported " + method + " request. Object with ID '" + id + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                "Object with ID '" + id + "' does not exist");
    }

    public static GraphError invalidParameter(String details) {
        return new GraphError(400, 100, null, "OAuthException", "(#100) Invalid parameter", details);
    }

    public static GraphError requiredParameter(String parameter) {
        return new GraphError(400, 100, null, "OAuthException", "(#100) The parameter " + parameter + " is required.",
                "The parameter " + parameter + " is required.");
    }

    public static GraphError missingParameter(String parameter) {
        return new GraphError(400, 131008, null, "OAuthException", "(#131008) Required parameter is missing",
                "The parameter " + parameter + " is required.");
    }

    public static GraphError invalidValue(String parameter, String why) {
        return new GraphError(400, 131009, null, "OAuthException", "(#131009) Parameter value is not valid",
                "Parameter " + parameter + " is invalid: " + why);
    }

    public static GraphError templateNotFound(String name, String language) {
        return new GraphError(400, 132001, 2494073, "OAuthException",
                "(#132001) Template name does not exist in the translation",
                "template name (" + name + ") does not exist in " + language);
    }

    public static GraphError parameterCountMismatch(String component, int given, int expected) {
        return new GraphError(400, 132000, 2494002, "OAuthException",
                "(#132000) Number of parameters does not match the expected number of params",
                component + ": number of localizable_params (" + given + ") does not match the expected number of params (" + expected + ")");
    }

    public static GraphError throughputReached() {
        return new GraphError(400, 130429, 2494055, "OAuthException", "(#130429) Rate limit hit",
                "Cloud API message throughput has been reached.");
    }

    public static GraphError pairRateLimit() {
        return new GraphError(400, 131056, 2494075, "OAuthException",
                "(#131056) (Business Account, Consumer Account) pair rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.");
    }

    /** An error a test asked for by its code, in Meta's words where the sandbox knows them. */
    public static GraphError injected(int code) {
        switch (code) {
            case 131053:
                return mediaProblem("The media could not be processed (failure requested through the sandbox switches).");
            case 131000:
                return new GraphError(500, 131000, null, "OAuthException", "(#131000) Something went wrong",
                        "Something went wrong. Please try again later.");
            case 131048:
                return new GraphError(400, 131048, null, "OAuthException", "(#131048) Spam rate limit hit",
                        "Message failed to send because there are restrictions on how many messages can be sent from this phone number. This may be because too many previous messages were blocked or flagged as spam.");
            case 131049:
                return new GraphError(400, 131049, null, "OAuthException",
                        "(#131049) This message was not delivered to maintain healthy ecosystem engagement.",
                        "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.");
            case 130472:
                return new GraphError(400, 130472, null, "OAuthException", "(#130472) User's number is part of an experiment",
                        "Failed to send message because this user's phone number is part of an experiment");
            case 131050:
                return new GraphError(400, 131050, null, "OAuthException",
                        "(#131050) Unable to deliver the marketing message. This user has stopped marketing messages from your business.",
                        "The user has chosen to stop receiving marketing messages from your business.");
            case 130429:
                return throughputReached();
            case 131056:
                return pairRateLimit();
            case 131057:
                return new GraphError(503, 131057, null, "OAuthException", "(#131057) Account in maintenance mode",
                        "Business account is in maintenance mode (e.g. a throughput upgrade).");
            case 131064:
                return new GraphError(400, 131064, null, "OAuthException", "(#131064) Messaging limit reached",
                        "Messaging limit reached due to template classification violations.");
            case 80007:
                return new GraphError(400, 80007, null, "OAuthException", "(#80007) Rate limit issues",
                        "The WhatsApp Business Account has reached its rate limit.");
            case 131016:
                return new GraphError(503, 131016, null, "OAuthException", "(#131016) Service unavailable",
                        "A service is temporarily unavailable.");
            default:
                return new GraphError(400, code, null, "OAuthException", "(#" + code + ") Error requested through the sandbox switches",
                        "Error " + code + " requested through the sandbox switches.");
        }
    }

    public static GraphError mediaProblem(String details) {
        return new GraphError(400, 131053, null, "OAuthException", "(#131053) Media upload error", details);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    public Integer subcode() {
        return subcode;
    }

    public String type() {
        return type;
    }

    public String details() {
        return details;
    }
}
