package hexa.platform.web;

import org.springframework.http.HttpStatus;

/**
 * Something a person or an integrator got wrong. It carries a stable {@code code} for the API and a
 * message key for the text people read; it never carries a stack trace to the browser.
 */
public class UserError extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String messageKey;
    private final transient Object[] args;

    public UserError(HttpStatus status, String code, String messageKey, Object... args) {
        super(code + ": " + messageKey);
        this.status = status;
        this.code = code;
        this.messageKey = messageKey;
        this.args = args;
    }

    public static UserError invalid(String messageKey, Object... args) {
        return new UserError(HttpStatus.BAD_REQUEST, "invalid_request", messageKey, args);
    }

    public static UserError conflict(String messageKey, Object... args) {
        return new UserError(HttpStatus.CONFLICT, "conflict", messageKey, args);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] args() {
        return args;
    }

    public String text() {
        return Text.t(messageKey, args);
    }
}
