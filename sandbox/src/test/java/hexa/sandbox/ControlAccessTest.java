package hexa.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import hexa.sandbox.media.MediaStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control API opens only to the control token (standalone there is nobody to sign in); what it lets a script do
 * is bounded: load runs and customers' files cannot take the machine.
 */
class ControlAccessTest extends SandboxTest {

    private Reply anonymous(String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/sandbox/api" + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    @Test
    void withoutTheControlTokenEveryControlRequestIsRefusedAndChangesNothing() {
        String switchesBefore = control("GET", "/switches", null).text();
        String callbackBefore = number.webhookTarget().callbackUrl();
        String customersBefore = control("GET", "/customers", null).text();
        String id = number.phoneNumberId();
        String[][] requests = {
            {"GET", "/numbers", null},
            {"POST", "/numbers", "{\"phoneNumberId\":\"" + id + "\",\"callbackUrl\":\"http://127.0.0.1:1/elsewhere\"}"},
            {"GET", "/customers", null},
            {"POST", "/customers", "{\"waId\":\"15550770001\"}"},
            {"PATCH", "/customers/15550770001", "{\"undeliverable\":true}"},
            {"POST", "/customers/15550770001/messages", "{\"phoneNumberId\":\"" + id + "\",\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}"},
            {"GET", "/numbers/" + id + "/chats", null},
            {"GET", "/numbers/" + id + "/chats/15550770001", null},
            {"GET", "/numbers/" + id + "/templates", null},
            {"GET", "/media/123", null},
            {"POST", "/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":1,\"messagesPerCustomer\":1,\"messagesPerSecond\":1}"},
            {"GET", "/load/load-1", null},
            {"GET", "/stats", null},
            {"DELETE", "/stats", null},
            {"GET", "/switches", null},
            {"PATCH", "/switches", "{\"undeliverableRate\":1.0}"},
            {"POST", "/clock", "{\"advanceSeconds\":90000}"},
            {"GET", "/me", null},
        };
        for (String[] r : requests) {
            for (String authorization : new String[] {null, "Bearer not-the-token", "Bearer " + token}) {
                Reply reply = anonymous(r[0], r[1], r[2], authorization);
                assertThat(reply.status()).as(r[0] + " " + r[1] + " with " + authorization).isEqualTo(401);
                assertThat(reply.text()).doesNotContain(token).doesNotContain(appSecret);
            }
        }

        assertThat(control("GET", "/switches", null).text()).isEqualTo(switchesBefore);
        assertThat(numbers.find(number.phoneNumberId()).orElseThrow().webhookTarget().callbackUrl()).isEqualTo(callbackBefore);
        assertThat(control("GET", "/customers", null).text()).isEqualTo(customersBefore).doesNotContain("15550770001");
        assertThat(receiver.items("messages")).noneMatch(m -> m.path("from").asString().equals("15550770001"));
    }

    @Test
    void aLoadRunIsBoundedInSizeRateAndNumberAtOnce() {
        String id = number.phoneNumberId();
        Reply tooMany = control("POST", "/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":100000,\"messagesPerCustomer\":1000,\"messagesPerSecond\":1}");
        Reply tooFast = control("POST", "/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":10,\"messagesPerCustomer\":10,\"messagesPerSecond\":1000000}");

        assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(400);
        assertThat(tooMany.json().get("message").asString()).contains("at most 1000000 messages").contains("Nothing was started");
        assertThat(tooFast.status()).as(tooFast.text()).isEqualTo(400);
        assertThat(tooFast.json().get("message").asString()).contains("messages per second");

        List<String> running = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Reply slow = control("POST", "/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":1,\"messagesPerCustomer\":1000,\"messagesPerSecond\":0.01}");
                assertThat(slow.status()).as(slow.text()).isEqualTo(201);
                running.add(slow.json().get("id").asString());
            }
            Reply third = control("POST", "/load", "{\"phoneNumberId\":\"" + id + "\",\"customers\":1,\"messagesPerCustomer\":1,\"messagesPerSecond\":1}");
            assertThat(third.status()).as(third.text()).isEqualTo(409);
        } finally {
            running.forEach(run -> control("DELETE", "/load/" + run, null));
        }
    }

    @Test
    void aCustomersFileAboveTheLimitIsRefusedAndNotKept() {
        long storedBefore = media.storedBytes();
        byte[] pdf = new byte[17 * 1024 * 1024];
        byte[] head = "%PDF-1.4\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, pdf, 0, head.length);
        String boundary = "----access" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(pdf);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        Reply reply = send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/api/customers/15550770002/media?phoneNumberId=" + number.phoneNumberId()))
                .header("Authorization", "Bearer " + controlToken.value())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());

        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.json().get("message").asString()).contains("17.0 MB").contains("up to 16.0 MB").contains("Nothing was kept");
        assertThat(media.storedBytes()).isEqualTo(storedBefore);
    }

    @Test
    void storedMediaIsBoundedTheOldestFilesAreForgotten() {
        SandboxProperties small = new SandboxProperties();
        small.setMaxStoredMediaBytes(250);
        MediaStore store = new MediaStore(new WhatsAppIds(), new SandboxClock(), small);

        String first = store.store("1", "text/plain", "a.txt", new byte[100]).id();
        String second = store.store("1", "text/plain", "b.txt", new byte[100]).id();
        String third = store.store("1", "text/plain", "c.txt", new byte[100]).id();

        assertThat(store.find(first)).as("the oldest file, beyond the limit").isEmpty();
        assertThat(store.find(second)).isPresent();
        assertThat(store.find(third)).isPresent();
        assertThat(store.storedBytes()).isEqualTo(200);
    }

    @org.springframework.beans.factory.annotation.Autowired
    MediaStore media;
}
