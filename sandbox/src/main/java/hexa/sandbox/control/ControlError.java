package hexa.sandbox.control;

/** A control API request that cannot be carried out; answered as {"code","message"}. */
public class ControlError extends RuntimeException {

    private final int status;
    private final String code;

    public ControlError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ControlError badRequest(String message) {
        return new ControlError(400, "bad_request", message);
    }

    public static ControlError unauthorized() {
        return new ControlError(401, "unauthorized", "Sign in, or send the sandbox control token as Authorization: Bearer <token>.");
    }

    public static ControlError forbidden(String message) {
        return new ControlError(403, "forbidden", message);
    }

    public static ControlError notFound(String message) {
        return new ControlError(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
