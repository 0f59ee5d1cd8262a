package hexa.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A customer on the sandbox's phone writing to one workspace's number: sends through the sandbox's
 * control API (so the message reaches the app as a signed webhook, as from Meta) and waits until the
 * app has stored it and what reacts to it (the listeners of its domain events) has done so.
 */
public final class SandboxCustomer {

    private final ApiClient control;
    private final JdbcClient jdbc;
    private final UUID workspaceId;
    private final String phoneNumberId;

    public SandboxCustomer(String baseUrl, JdbcClient jdbc, UUID workspaceId, String phoneNumberId) {
        this.control = new ApiClient(baseUrl, null);
        this.jdbc = jdbc;
        this.workspaceId = workspaceId;
        this.phoneNumberId = phoneNumberId;
    }

    /** The customer {@code waId} writes {@code text}; answers the conversation it was stored in. */
    public UUID writes(String waId, String text) {
        return writes(waId, text, null);
    }

    /** The customer {@code waId} writes {@code text}, without waiting for the app to store it. */
    public void sends(String waId, String text) {
        Response sent = control.send("POST", "/sandbox/api/customers/" + waId + "/messages",
                "{\"type\":\"text\",\"text\":{\"body\":" + json(text) + "},\"phoneNumberId\":\"" + phoneNumberId + "\"}");
        assertThat(sent.status()).as(sent.text()).isBetween(200, 299);
    }

    /** The same, with the WhatsApp profile name the customer has (null: leave it). */
    public UUID writes(String waId, String text, String profileName) {
        if (profileName != null) {
            control.send("POST", "/sandbox/api/customers", "{\"waId\":\"" + waId + "\",\"profileName\":" + json(profileName) + "}");
        }
        sends(waId, text);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<UUID> stored = jdbc.sql("""
                    select conversation_id from messages where tenant_id = :t and body = :b order by created_at desc limit 1
                    """).param("t", workspaceId).param("b", text).query(UUID.class).optional();
            if (stored.isPresent() && DomainEvents.noneInFlight(jdbc)) {
                return stored.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("The customer's message never arrived: " + text);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
