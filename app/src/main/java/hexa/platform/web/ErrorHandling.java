package hexa.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Turns every failure into what the person asking can use: a friendly page in the browser, or
 * {@code {"code", "message"}} in the API. Never a stack trace, never a framework default page.
 */
@ControllerAdvice
public class ErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

    private final Pages pages;
    private final String maxUpload;

    ErrorHandling(Pages pages, @org.springframework.beans.factory.annotation.Value("${spring.servlet.multipart.max-file-size:}") String maxUpload) {
        this.pages = pages;
        this.maxUpload = maxUpload;
    }

    @ExceptionHandler(UserError.class)
    Object userError(UserError error, HttpServletRequest request, HttpServletResponse response) {
        if (error instanceof AccessInterceptor.NotSignedInException && !ApiPaths.isApi(request)) {
            return new ModelAndView("redirect:/sign-in");
        }
        return respond(request, error.status(), error.code(), error.text());
    }

    @ExceptionHandler({NoResourceFoundException.class, org.springframework.web.servlet.NoHandlerFoundException.class, MethodArgumentTypeMismatchException.class})
    Object notFound(Exception e, HttpServletRequest request) {
        return respond(request, HttpStatus.NOT_FOUND, "not_found", Text.t("error.not-found"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    Object methodNotAllowed(HttpServletRequest request) {
        return respond(request, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", Text.t("error.method-not-allowed"));
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
            HttpMediaTypeNotSupportedException.class, org.springframework.web.bind.MethodArgumentNotValidException.class})
    Object badRequest(Exception e, HttpServletRequest request) {
        return respond(request, HttpStatus.BAD_REQUEST, "invalid_request", Text.t("error.bad-request"));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    Object tooLarge(HttpServletRequest request) {
        return respond(request, HttpStatus.PAYLOAD_TOO_LARGE, "too_large",
                maxUpload.isBlank() ? Text.t("error.too-large") : Text.t("error.too-large-limit", maxUpload.replaceAll("(?i)([0-9])([KMG]B)", "$1 $2")));
    }

    @ExceptionHandler(AccessDeniedException.class)
    Object denied(HttpServletRequest request) {
        return respond(request, HttpStatus.FORBIDDEN, "forbidden", Text.t("error.forbidden"));
    }

    /** The browser went away in the middle of a response (a closed tab, a live stream): nothing to answer, nothing wrong. */
    @ExceptionHandler(org.springframework.web.context.request.async.AsyncRequestNotUsableException.class)
    void clientGone(Exception e, HttpServletRequest request) {
        log.debug("The client of {} {} went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    Object unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", Text.t("error.internal"));
    }

    Object respond(HttpServletRequest request, HttpStatus status, String code, String message) {
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status.value());
        if (ApiPaths.isApi(request) || wantsJson(request)) {
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ApiError(code, message));
        }
        Map<String, Object> model = new java.util.HashMap<>();
        model.put("status", status.value());
        model.put("title", Text.t("error.title." + status.value()));
        model.put("message", message);
        try {
            model.put("page", pages.of(request));
        } catch (RuntimeException e) {
            log.debug("No page frame for the error page", e);
        }
        ModelAndView page = new ModelAndView("platform/error", model);
        page.setStatus(status);
        return page;
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.startsWith("application/json");
    }
}
