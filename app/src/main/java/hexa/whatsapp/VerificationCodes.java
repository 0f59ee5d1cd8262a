package hexa.whatsapp;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One-time codes sent on WhatsApp from the workspace's number, with an authentication template of its own
 * ({@value #TEMPLATE}): a person proving that a number is theirs (the public privacy page's request form). The template
 * is submitted for Meta's review when the workspace first needs it ({@link #prepare()}); a code is sent only once it is
 * approved.
 */
@Service
public class VerificationCodes {

    public static final String TEMPLATE = "hexa_verification_code";
    public static final String LANGUAGE = "en";

    private final OwnTemplates own;

    VerificationCodes(OwnTemplates own) {
        this.own = own;
    }

    /** Where the code template stands: empty without a number or before it was submitted, else PENDING, APPROVED, REJECTED… */
    public Optional<String> templateStatus() {
        return own.status(TEMPLATE, LANGUAGE);
    }

    /** Submits the code template to the number's WhatsApp account unless it is there already; answers its status. */
    public Optional<String> prepare() {
        // Meta's authentication template: its body and footer are Meta's own words, with the security advice and expiry.
        ObjectNode template = own.newTemplate(TEMPLATE, LANGUAGE, "AUTHENTICATION");
        ArrayNode components = (ArrayNode) template.get("components");
        components.add(own.component().put("type", "BODY").put("add_security_recommendation", true)
                .put("text", "{{1}} is your verification code. For your security, do not share this code."));
        components.add(own.component().put("type", "FOOTER").put("code_expiration_minutes", 10).put("text", "This code expires in 10 minutes."));
        ObjectNode buttons = own.component().put("type", "BUTTONS");
        buttons.putArray("buttons").addObject().put("type", "OTP").put("otp_type", "COPY_CODE").put("text", "Copy code");
        components.add(buttons);
        return own.prepare(template);
    }

    /**
     * Sends {@code code} to the contact from the workspace's first number with the approved code template, queued in
     * the caller's transaction. Answers false, sending nothing, when there is no number or the template is not approved.
     */
    public boolean send(UUID contactId, String code) {
        // Meta's copy-code button carries the code too.
        ObjectNode button = own.component().put("type", "button").put("sub_type", "url").put("index", "0");
        button.putArray("parameters").addObject().put("type", "text").put("text", code);
        return own.send(contactId, TEMPLATE, LANGUAGE, List.of(code), List.of(button));
    }
}
