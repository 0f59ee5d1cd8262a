package hexa.sandbox.graph;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxStats;
import hexa.sandbox.WhatsAppIds;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders every Graph API failure in Meta's error envelope, never as a Spring error page. It goes
 * ahead of a host application's catch-all error handling, which must not answer Meta's errors.
 */
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = GraphErrorResponses.class)
public class GraphErrorResponses {

    private final WhatsAppIds ids;
    private final SandboxStats stats;

    public GraphErrorResponses(WhatsAppIds ids, SandboxStats stats) {
        this.ids = ids;
        this.stats = stats;
    }

    @ExceptionHandler(GraphError.class)
    public ResponseEntity<String> graphError(GraphError error) {
        stats.rejected(error.code());
        ObjectNode root = SandboxJson.object();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage());
        body.put("type", error.type());
        body.put("code", error.code());
        if (error.subcode() != null) {
            body.put("error_subcode", error.subcode());
        }
        ObjectNode data = body.putObject("error_data");
        data.put("messaging_product", "whatsapp");
        data.put("details", error.details());
        body.put("fbtrace_id", ids.fbtraceId());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.valueOf(error.httpStatus()))
                .contentType(MediaType.APPLICATION_JSON);
        if (error.code() == 190) {
            response.header("WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_token\" \"" + error.getMessage() + "\"");
        }
        return response.body(SandboxJson.MAPPER.writeValueAsString(root));
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    public ResponseEntity<String> unreadable(Exception e) {
        return graphError(GraphError.invalidParameter("The request body could not be read as JSON."));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    public ResponseEntity<String> missingPart(MissingServletRequestPartException e) {
        return graphError(GraphError.requiredParameter(e.getRequestPartName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<String> missingParameter(MissingServletRequestParameterException e) {
        return graphError(GraphError.requiredParameter(e.getParameterName()));
    }

    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    public ResponseEntity<String> notMultipart(Exception e) {
        if (e instanceof MaxUploadSizeExceededException) {
            return tooLarge((MaxUploadSizeExceededException) e);
        }
        return graphError(GraphError.invalidParameter("Media must be uploaded as multipart/form-data."));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public ResponseEntity<String> tooLarge(MaxUploadSizeExceededException e) {
        return graphError(GraphError.mediaProblem("The file is larger than the largest media WhatsApp accepts."));
    }
}
