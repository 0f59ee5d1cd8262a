package hexa.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stored URLs and handed-out links never come from the request: without HEXA_PUBLIC_URL (as in these tests), a
 * request that names another host (its Host header, or a proxy's X-Forwarded-Host) cannot connect a number or
 * invite someone, and is told to set HEXA_PUBLIC_URL; nothing is stored. As localhost, the listening address is used.
 */
class PublicUrlTest extends HexaIntegrationTest {

    private static final String ATTACKER = "attacker.example";

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_forwarded_host_cannot_become_a_numbers_callback_or_graph_url_or_an_invitation_link() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Host Co");
        WebClient owner = browser().forwardedHost(ATTACKER);
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);

        Response connected = owner.follow("/settings/whatsapp/sandbox", Map.of());
        assertThat(connected.text()).contains("HEXA_PUBLIC_URL").contains(ATTACKER);
        assertThat(count("whatsapp_connections", workspace)).as("no number connected").isZero();

        Response invited = owner.follow("/settings/members/invitations", Map.of("email", "new.person@test.example", "role", "AGENT"));
        assertThat(invited.text()).contains("HEXA_PUBLIC_URL");
        assertThat(count("invitations", workspace)).as("no invitation made").isZero();

        // As localhost, the same requests work, and what is stored names the listening address.
        WebClient local = browser();
        local.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        local.follow("/settings/whatsapp/sandbox", Map.of());
        assertThat(jdbc.sql("select graph_url from whatsapp_connections where tenant_id = :t").param("t", workspace.id())
                .query(String.class).single()).isEqualTo(baseUrl() + "/sandbox/graph");
        Response link = local.follow("/settings/members/invitations", Map.of("email", "new.person@test.example", "role", "AGENT"));
        assertThat(link.text()).contains(baseUrl() + "/invitations/inv_").doesNotContain(ATTACKER);
    }

    @Test
    void a_host_header_naming_another_server_cannot_make_the_server_send_a_token_there() throws IOException {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Header Co");
        String token = fixtures.apiToken(workspace, Role.ADMIN);
        String body = "{\"appId\": \"1\", \"appSecret\": \"secret\", \"accessToken\": \"EAAvictim\", \"wabaId\": \"2\", \"phoneNumberId\": \"3\"}";

        String answer = raw("POST /api/v1/whatsapp/connections HTTP/1.1\r\nHost: " + ATTACKER + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer).startsWith("HTTP/1.1 409").contains("\"code\":\"public_url_required\"").contains("HEXA_PUBLIC_URL");
        assertThat(count("whatsapp_connections", workspace)).isZero();
    }

    @Test
    void only_loopback_names_count_as_localhost() {
        assertThat(PublicUrl.isLocalName("localhost")).isTrue();
        assertThat(PublicUrl.isLocalName("127.0.0.1")).isTrue();
        assertThat(PublicUrl.isLocalName("[::1]")).isTrue();
        assertThat(PublicUrl.isLocalName("app.localhost")).isTrue();
        assertThat(PublicUrl.isLocalName("localhost.attacker.example")).isFalse();
        assertThat(PublicUrl.isLocalName("127.0.0.1.attacker.example")).isFalse();
        assertThat(PublicUrl.isLocalName("10.0.0.5")).isFalse();
        assertThat(PublicUrl.isLocalName(null)).isFalse();
    }

    private int count(String table, Fixtures.TestWorkspace workspace) {
        return jdbc.sql("select count(*) from " + table + " where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    /** One request written by hand: Java's HTTP client does not let a caller choose the Host header. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
