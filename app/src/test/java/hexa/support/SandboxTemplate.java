package hexa.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A template created in "WhatsApp Manager" (the sandbox's Graph API), read by the workspace
 * (Settings → WhatsApp → Templates → Refresh, by a member who may) and approved by the sandbox's
 * review, which arrives as a webhook.
 */
public final class SandboxTemplate {

    private SandboxTemplate() {
    }

    /** Submits {@code request} (Meta's template JSON, named {@code name}); answers the workspace's id of it once approved. */
    public static UUID approved(String baseUrl, String accessToken, String wabaId, String name, String request, WebClient admin,
                                JdbcClient jdbc, UUID workspaceId) {
        Response created = new ApiClient(baseUrl, accessToken).send("POST", "/sandbox/graph/v25.0/" + wabaId + "/message_templates", request);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(admin.post("/settings/whatsapp/templates/refresh", Map.of()).status()).isEqualTo(302);
        return Eventually.present(() -> jdbc.sql("select id from whatsapp_templates where tenant_id = :t and name = :n and status = 'APPROVED'")
                .param("t", workspaceId).param("n", name).query(UUID.class).optional(), "the template " + name + " to be approved");
    }
}
