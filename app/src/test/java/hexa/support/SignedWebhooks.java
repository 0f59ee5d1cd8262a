package hexa.support;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.crypto.SecretBox;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Posts webhooks to a connected number's callback as Meta does, signed with the number's app secret: for kinds of
 * message the phone simulator does not send.
 */
public final class SignedWebhooks {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ConnectionService.View number;
    private final String appSecret;

    public SignedWebhooks(JdbcClient jdbc, SecretBox secrets, ConnectionService.View number) {
        this.number = number;
        this.appSecret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", number.id()).query(String.class).single());
    }

    /** One customer message (Meta's message object) from {@code waId}, in a webhook addressed to the number; answered 200. */
    public void customerSends(String waId, String profileName, String message) {
        post("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
                 "contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],"messages":[%s]}}]}]}
                """.formatted(number.phoneNumberId(), profileName, waId, message));
    }

    /** Posts the body, signed; answered 200. */
    public void post(String webhook) {
        byte[] body = webhook.getBytes(StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(number.callbackUrl()))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", WebhookSignature.of(body, appSecret))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
