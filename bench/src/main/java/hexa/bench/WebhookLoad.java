package hexa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed message webhooks to the demo number's callback at a fixed rate, as Meta sends them: POSTs of {@code batch}
 * text messages, each signed with the app secret, each timed from when it was due (so a slow answer shows as latency,
 * not as a lower rate). What each message says and who sends it is the caller's ({@link Message}).
 */
final class WebhookLoad implements AutoCloseable {

    /** One customer's text message: {@code n} is its number in the run. */
    record Message(String waId, String name, String wamid, String text) {
    }

    /** What one run sent: the messages, the POSTs not answered 200, and each POST's latency in ms. */
    record Sent(int messages, int failures, List<Double> latencies) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String callbackUrl;
    private final SecretKeySpec key;
    private final String phoneNumberId;
    private final String wabaId;
    private final String display;
    private final int postsPerSecond;
    private final int batch;
    private final ExecutorService senders = Executors.newFixedThreadPool(64);
    private final AtomicInteger sequence = new AtomicInteger();

    WebhookLoad(String callbackUrl, String appSecret, String phoneNumberId, String wabaId, String display, int rate, int batch) {
        this.callbackUrl = callbackUrl;
        this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.phoneNumberId = phoneNumberId;
        this.wabaId = wabaId;
        this.display = display;
        this.postsPerSecond = Math.max(1, rate / batch);
        this.batch = batch;
    }

    /** Sends until {@code longest} has passed or {@code stop} is set (may be null), and waits for every answer. */
    Sent run(Duration longest, AtomicBoolean stop, IntFunction<Message> message) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long intervalNanos = 1_000_000_000L / postsPerSecond;
        long start = System.nanoTime();
        long end = start + longest.toNanos();
        AtomicInteger failures = new AtomicInteger();
        int messages = 0;
        for (long i = 0; ; i++) {
            long due = start + i * intervalNanos;
            if (due > end || (stop != null && stop.get())) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String body = body(message);
            messages += batch;
            inFlight.add(CompletableFuture.runAsync(() -> {
                try {
                    HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(callbackUrl))
                            .header("Content-Type", "application/json").header("X-Hub-Signature-256", "sha256=" + sign(body))
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                latencies.add((System.nanoTime() - due) / 1e6);
            }, senders));
        }
        CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).join();
        return new Sent(messages, failures.get(), new ArrayList<>(latencies));
    }

    private String body(IntFunction<Message> next) {
        long seconds = Instant.now().getEpochSecond();
        StringBuilder contacts = new StringBuilder();
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < batch; i++) {
            Message m = next.apply(sequence.incrementAndGet());
            if (i > 0) {
                contacts.append(',');
                messages.append(',');
            }
            contacts.append("{\"profile\":{\"name\":\"").append(m.name()).append("\"},\"wa_id\":\"").append(m.waId()).append("\"}");
            messages.append("{\"from\":\"").append(m.waId()).append("\",\"id\":\"").append(m.wamid()).append("\",\"timestamp\":\"").append(seconds)
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"").append(m.text()).append("\"}}");
        }
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"" + display + "\",\"phone_number_id\":\""
                + phoneNumberId + "\"},\"contacts\":[" + contacts + "],\"messages\":[" + messages + "]}}]}]}";
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        senders.shutdown();
    }
}
