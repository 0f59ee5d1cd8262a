package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A template sent with another number of body parameters than it has variables. */
public final class TemplateParametersMismatch extends UserError {

    public TemplateParametersMismatch(String name, int expected, int given) {
        super(HttpStatus.BAD_REQUEST, "template_parameters", "whatsapp.template.parameter-count", name, expected, given);
    }
}
