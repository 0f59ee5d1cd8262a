package hexa.whatsapp;

import hexa.platform.web.UserError;
import org.springframework.http.HttpStatus;

/** A template that Meta has not approved (pending, rejected, paused or disabled) cannot be sent. */
public final class TemplateNotApproved extends UserError {

    public TemplateNotApproved(String name, String statusText) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, "template_not_approved", "whatsapp.template.not-approved", name, statusText);
    }
}
