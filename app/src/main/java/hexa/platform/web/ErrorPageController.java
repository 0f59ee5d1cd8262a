package hexa.platform.web;

import hexa.platform.access.Public;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/** What the servlet container shows for errors that never reached a controller (an unknown URL, say). */
@Controller
@Public
class ErrorPageController implements ErrorController {

    private final ErrorHandling errors;

    ErrorPageController(ErrorHandling errors) {
        this.errors = errors;
    }

    @RequestMapping("/error")
    Object error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        boolean api = uri != null && uri.startsWith(request.getContextPath() + ApiPaths.PREFIX);
        String key = switch (status.value()) {
            case 404 -> "error.not-found";
            case 403 -> "error.forbidden";
            case 401 -> "error.unauthorized";
            case 400 -> "error.bad-request";
            case 405 -> "error.method-not-allowed";
            case 413 -> "error.too-large";
            default -> "error.internal";
        };
        String errorCode = switch (status.value()) {
            case 404 -> "not_found";
            case 403 -> "forbidden";
            case 401 -> "unauthorized";
            case 400 -> "invalid_request";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> "internal_error";
        };
        if (api) {
            return org.springframework.http.ResponseEntity.status(status)
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(new ApiError(errorCode, Text.t(key)));
        }
        return errors.respond(request, status, errorCode, Text.t(key));
    }
}
