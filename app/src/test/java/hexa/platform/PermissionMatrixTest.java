package hexa.platform;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Permission;
import hexa.platform.access.Role;
import hexa.platform.web.AccessInterceptor;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every role against every endpoint, pages and API alike, over HTTP. */
class PermissionMatrixTest extends HexaIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void every_endpoint_declares_who_may_use_it() {
        List<String> undeclared = Endpoints.all(mapping).stream().filter(e -> e.access() == null).map(Object::toString).toList();
        assertThat(undeclared).as("endpoints without @Requires, @SignedIn or @Public").isEmpty();
        assertThat(Endpoints.all(mapping)).hasSizeGreaterThan(20);
    }

    @Test
    void each_role_reaches_exactly_the_endpoints_its_permissions_allow() {
        var workspace = fixtures.workspace("Matrix Co");
        List<String> violations = new ArrayList<>();
        String unknownId = UUID.randomUUID().toString();
        for (Role role : Role.values()) {
            var person = role == Role.OWNER ? workspace.owner() : fixtures.member(workspace, role);
            WebClient browser = browser();
            browser.signIn(person.email(), Fixtures.PASSWORD);
            String token = role == Role.OWNER ? null : fixtures.apiToken(workspace, role);
            ApiClient api = api(token);
            for (Endpoints.Endpoint endpoint : Endpoints.all(mapping)) {
                if (endpoint.isApi() && token == null) {
                    continue;
                }
                Response response = endpoint.isApi()
                        ? api.send(endpoint.method(), endpoint.path(unknownId), endpoint.method().equals("GET") ? null : "{}")
                        : browser.request(endpoint.method(), endpoint.path(unknownId));
                boolean allowed = allowed(role, endpoint.access());
                boolean refused = response.status() == 403 && !response.text().contains("no_workspace");
                boolean publicEndpoint = endpoint.access() instanceof AccessInterceptor.Access.Anyone;
                if (allowed == refused || (response.status() == 401 && !publicEndpoint) || (response.status() == 302 && "/sign-in".equals(response.location()) && !endpoint.pattern().equals("/sign-out"))) {
                    violations.add(role + " " + endpoint + " -> " + response.status() + " (expected " + (allowed ? "allowed" : "403") + ")");
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void anonymous_visitors_reach_only_public_endpoints() {
        List<String> violations = new ArrayList<>();
        ApiClient anonymous = api(null);
        for (Endpoints.Endpoint endpoint : Endpoints.all(mapping)) {
            if (endpoint.access() instanceof AccessInterceptor.Access.Anyone) {
                continue;
            }
            Response response = endpoint.isApi()
                    ? anonymous.send(endpoint.method(), endpoint.path(UUID.randomUUID().toString()), null)
                    : browser().request(endpoint.method(), endpoint.path(UUID.randomUUID().toString()));
            boolean turnedAway = endpoint.isApi() ? response.status() == 401 : (response.status() == 302 && "/sign-in".equals(response.location()));
            if (!turnedAway) {
                violations.add(endpoint + " -> " + response.status() + " " + response.location());
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void the_documented_matrix_is_the_enforced_one() throws IOException {
        Path doc = Path.of("..", "docs", "permissions.md");
        String text = Files.readString(doc);
        for (Permission permission : Permission.values()) {
            String row = text.lines().filter(l -> l.startsWith("| `" + permission.name() + "`")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/permissions.md has no row for " + permission));
            String[] cells = row.split("\\|");
            for (Role role : Role.values()) {
                String cell = cells[2 + role.ordinal()].trim();
                assertThat(cell.equals("✓")).as(permission + " for " + role + " in docs/permissions.md").isEqualTo(permission.grantedTo(role));
            }
        }
    }

    private static boolean allowed(Role role, AccessInterceptor.Access access) {
        if (access instanceof AccessInterceptor.Access.Permitted permitted) {
            return role.can(permitted.requires().value());
        }
        return true;
    }
}
