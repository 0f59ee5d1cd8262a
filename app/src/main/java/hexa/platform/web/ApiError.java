package hexa.platform.web;

/** How the REST API reports every error: a stable code for programs and a message for people. */
public record ApiError(String code, String message) {
}
