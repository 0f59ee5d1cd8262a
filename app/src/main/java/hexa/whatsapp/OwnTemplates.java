package hexa.whatsapp;

import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Templates Hexa CRM itself needs on the workspace's WhatsApp account (a verification code, a download link): submitted
 * for Meta's review the first time a feature prepares them, and sent from the workspace's first number once approved.
 */
@Component
class OwnTemplates {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OwnTemplates.class);

    private final Connections connections;
    private final ConnectionService connectionService;
    private final TemplateService templates;
    private final SendService send;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final JsonMapper json = JsonMapper.builder().build();

    OwnTemplates(Connections connections, ConnectionService connectionService, TemplateService templates, SendService send, GraphClient graph,
                 GraphSettings graphSettings) {
        this.connections = connections;
        this.connectionService = connectionService;
        this.templates = templates;
        this.send = send;
        this.graph = graph;
        this.graphSettings = graphSettings;
    }

    /** The template's review status on the workspace's first number's account; empty without a number or before it was submitted. */
    Optional<String> status(String name, String language) {
        return first().flatMap(c -> templates.find(c.wabaId(), name, language)).map(Template::status);
    }

    /** Submits the template (Meta's JSON: name, language, category, components) unless the account has it; answers its status. */
    Optional<String> prepare(ObjectNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").asString("");
        Optional<Connection> connection = first();
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        Optional<Template> known = templates.find(connection.get().wabaId(), name, language);
        if (known.isPresent()) {
            return Optional.of(known.get().status());
        }
        GraphEndpoint endpoint = new GraphEndpoint(connection.get().graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection.get()));
        try {
            graph.createTemplate(endpoint, connection.get().wabaId(), template);
        } catch (GraphApiException e) {
            // Already submitted from elsewhere (Meta answers "content in this language already exists"): reading it is enough.
            log.info("The template {} was not submitted: {}", name, e.getMessage());
        }
        try {
            templates.syncAll();
        } catch (RuntimeException e) {
            log.warn("Templates could not be read after submitting {}: {}", name, e.getMessage());
        }
        return status(name, language);
    }

    /**
     * Queues the approved template to the contact from the workspace's first number, in the caller's transaction, with
     * its body parameters and any further components (a button's); answers false, sending nothing, when it cannot go.
     */
    boolean send(UUID contactId, String name, String language, List<String> body, List<ObjectNode> more) {
        Optional<Connection> connection = first();
        if (connection.isEmpty() || !"APPROVED".equals(status(name, language).orElse(""))) {
            return false;
        }
        ObjectNode request = json.createObjectNode();
        request.put("type", "template");
        request.put("contactId", contactId.toString());
        request.put("phoneNumberId", connection.get().phoneNumberId());
        ObjectNode template = request.putObject("template");
        template.put("name", name);
        template.putObject("language").put("code", language);
        ArrayNode components = template.putArray("components");
        ArrayNode parameters = components.addObject().put("type", "body").putArray("parameters");
        body.forEach(value -> parameters.addObject().put("type", "text").put("text", value));
        more.forEach(components::add);
        send.send(request);
        return true;
    }

    ObjectNode newTemplate(String name, String language, String category) {
        ObjectNode template = json.createObjectNode();
        template.put("name", name);
        template.put("language", language);
        template.put("category", category);
        template.putArray("components");
        return template;
    }

    ObjectNode component() {
        return json.createObjectNode();
    }

    private Optional<Connection> first() {
        List<Connection> all = connections.all(TenantContext.tenantId());
        return all.stream().findFirst();
    }
}
