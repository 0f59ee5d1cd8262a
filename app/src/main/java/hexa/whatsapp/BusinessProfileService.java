package hexa.whatsapp;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The WhatsApp business profile customers see: read from and written to Meta, never stored here. */
@Service
public class BusinessProfileService {

    /** Meta's business verticals. */
    public static final List<String> VERTICALS = List.of("UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU", "ENTERTAIN",
            "EVENT_PLAN", "FINANCE", "GROCERY", "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES", "RETAIL", "TRAVEL",
            "RESTAURANT", "NOT_A_BIZ");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final Connections connections;
    private final ConnectionService connectionService;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final AuditTrail audit;
    private final JsonMapper json = JsonMapper.builder().build();

    BusinessProfileService(Connections connections, ConnectionService connectionService, GraphClient graph, GraphSettings graphSettings,
                           AuditTrail audit) {
        this.connections = connections;
        this.connectionService = connectionService;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.audit = audit;
    }

    public record Profile(String about, String address, String description, String email, List<String> websites, String vertical) {
    }

    public Profile profile(UUID connectionId) {
        Connection connection = connection(connectionId);
        try {
            JsonNode answer = graph.businessProfile(endpoint(connection), connection.phoneNumberId());
            JsonNode data = answer.has("data") ? answer.path("data").path(0) : answer;
            List<String> websites = new ArrayList<>();
            data.path("websites").forEach(w -> websites.add(w.asString("")));
            return new Profile(data.path("about").asString(""), data.path("address").asString(""), data.path("description").asString(""),
                    data.path("email").asString(""), websites, data.path("vertical").asString("UNDEFINED"));
        } catch (GraphApiException e) {
            throw problem(e);
        }
    }

    /** Checks Meta's limits first, so that a mistake gets a clear message and nothing is half-sent. */
    public void update(UUID connectionId, Profile profile) {
        Connection connection = connection(connectionId);
        require(profile.about().length() <= 139, "whatsapp.profile.about-too-long");
        require(profile.address().length() <= 256, "whatsapp.profile.address-too-long");
        require(profile.description().length() <= 512, "whatsapp.profile.description-too-long");
        require(profile.email().isEmpty() || (profile.email().length() <= 128 && EMAIL.matcher(profile.email()).matches()), "whatsapp.profile.email-invalid");
        require(profile.websites().size() <= 2, "whatsapp.profile.websites-too-many");
        for (String website : profile.websites()) {
            require(website.length() <= 256 && (website.startsWith("http://") || website.startsWith("https://")), "whatsapp.profile.website-invalid");
        }
        require(VERTICALS.contains(profile.vertical()), "whatsapp.profile.vertical-invalid");
        ObjectNode fields = json.createObjectNode();
        fields.put("messaging_product", "whatsapp");
        fields.put("about", profile.about());
        fields.put("address", profile.address());
        fields.put("description", profile.description());
        fields.put("email", profile.email());
        ArrayNode websites = fields.putArray("websites");
        profile.websites().forEach(websites::add);
        fields.put("vertical", profile.vertical());
        try {
            graph.updateBusinessProfile(endpoint(connection), connection.phoneNumberId(), fields);
        } catch (GraphApiException e) {
            throw problem(e);
        }
        audit.record(AuditEntry.of("whatsapp.profile_changed").target("whatsapp_number", connection.id(), connection.displayPhoneNumber())
                .details(Map.of("vertical", profile.vertical())));
    }

    private Connection connection(UUID id) {
        return connections.find(TenantContext.tenantId(), id).orElseThrow(NotFoundException::new);
    }

    private GraphEndpoint endpoint(Connection connection) {
        return new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection));
    }

    private static void require(boolean condition, String key) {
        if (!condition) {
            throw UserError.invalid(key);
        }
    }

    private static UserError problem(GraphApiException e) {
        return GraphProblems.asUserError(e, HttpStatus.BAD_GATEWAY);
    }
}
