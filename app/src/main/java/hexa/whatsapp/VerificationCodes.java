package hexa.whatsapp;

import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VerificationCodes.class);

    private final Connections connections;
    private final ConnectionService connectionService;
    private final TemplateService templates;
    private final SendService send;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final JsonMapper json = JsonMapper.builder().build();

    VerificationCodes(Connections connections, ConnectionService connectionService, TemplateService templates, SendService send, GraphClient graph,
                      GraphSettings graphSettings) {
        this.connections = connections;
        this.connectionService = connectionService;
        this.templates = templates;
        this.send = send;
        this.graph = graph;
        this.graphSettings = graphSettings;
    }

    /** Where the code template stands for the workspace's first number: absent (no number), PENDING, APPROVED, REJECTED… */
    public Optional<String> templateStatus() {
        return first().flatMap(c -> templates.find(c.wabaId(), TEMPLATE, LANGUAGE)).map(Template::status);
    }

    /** Submits the code template to the number's WhatsApp account unless it is there already; answers its status. */
    public Optional<String> prepare() {
        Optional<Connection> connection = first();
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        Optional<Template> known = templates.find(connection.get().wabaId(), TEMPLATE, LANGUAGE);
        if (known.isPresent()) {
            return Optional.of(known.get().status());
        }
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection.get()));
        try {
            graph.createTemplate(endpoint, connection.get().wabaId(), template());
        } catch (GraphApiException e) {
            // Already submitted from elsewhere (Meta answers "content in this language already exists"): reading it is enough.
            log.info("The verification code template was not submitted: {}", e.getMessage());
        }
        try {
            templates.syncAll();
        } catch (RuntimeException e) {
            log.warn("Templates could not be read after submitting the verification code template: {}", e.getMessage());
        }
        return templateStatus();
    }

    /**
     * Sends {@code code} to the contact from the workspace's first number with the approved code template, queued in
     * the caller's transaction. Answers false, sending nothing, when there is no number or the template is not approved.
     */
    public boolean send(UUID contactId, String code) {
        Optional<Connection> connection = first();
        if (connection.isEmpty() || !"APPROVED".equals(templateStatus().orElse(""))) {
            return false;
        }
        ObjectNode request = json.createObjectNode();
        request.put("type", "template");
        request.put("contactId", contactId.toString());
        request.put("phoneNumberId", connection.get().phoneNumberId());
        ObjectNode template = request.putObject("template");
        template.put("name", TEMPLATE);
        template.putObject("language").put("code", LANGUAGE);
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "body").putArray("parameters").addObject().put("type", "text").put("text", code);
        // Meta's copy-code button carries the code too.
        components.addObject().put("type", "button").put("sub_type", "url").put("index", "0")
                .putArray("parameters").addObject().put("type", "text").put("text", code);
        send.send(request);
        return true;
    }

    private Optional<Connection> first() {
        List<Connection> all = connections.all(TenantContext.tenantId());
        return all.stream().findFirst();
    }

    /** Meta's authentication template: its body and footer are Meta's own words, with the security advice and expiry. */
    private ObjectNode template() {
        ObjectNode template = json.createObjectNode();
        template.put("name", TEMPLATE);
        template.put("language", LANGUAGE);
        template.put("category", "AUTHENTICATION");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "BODY").put("add_security_recommendation", true)
                .put("text", "{{1}} is your verification code. For your security, do not share this code.");
        components.addObject().put("type", "FOOTER").put("code_expiration_minutes", 10).put("text", "This code expires in 10 minutes.");
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        buttons.addObject().put("type", "OTP").put("otp_type", "COPY_CODE").put("text", "Copy code");
        return template;
    }
}
