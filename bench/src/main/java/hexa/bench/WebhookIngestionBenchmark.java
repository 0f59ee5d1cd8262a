package hexa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook ingestion: plays Meta against a running Hexa CRM (started with {@code ./hexa run --demo}),
 * posting signed message webhooks at a target rate from many simulated customers, and measures
 * how fast they are acknowledged and how long until each sampled message can be read back through
 * the API. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench webhooks --demo-json data/demo.json --rate 2000 --seconds 20 --batch 10</pre>
 */
public final class WebhookIngestionBenchmark {

    private WebhookIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json"));
        String demo = Files.readString(demoFile);
        String callbackUrl = field(demo, "callbackUrl");
        String appSecret = field(demo, "appSecret");
        String phoneNumberId = field(demo, "phoneNumberId");
        String apiToken = field(demo, "apiToken");
        String baseUrl = field(demo, "url");
        int rate = Integer.parseInt(options.getOrDefault("--rate", "2000"));
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
        int batch = Integer.parseInt(options.getOrDefault("--batch", "10"));
        int senders = Integer.parseInt(options.getOrDefault("--senders", "64"));
        int sampleEvery = Integer.parseInt(options.getOrDefault("--sample-every", "200"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int postsPerSecond = Math.max(1, rate / batch);
        long totalPosts = (long) postsPerSecond * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / postsPerSecond;
        String runId = Long.toString(System.currentTimeMillis(), 36);

        ConcurrentLinkedQueue<Long> ackMicros = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String[]> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch done = new CountDownLatch((int) totalPosts);
        long start = System.nanoTime();
        System.out.printf("Posting %d messages/s for %d s (%d POSTs/s of %d messages) to %s%n", rate, seconds, postsPerSecond, batch, callbackUrl);
        for (long post = 0; post < totalPosts; post++) {
            long due = start + post * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            final long number = post;
            pool.execute(() -> {
                try {
                    StringBuilder messages = new StringBuilder();
                    StringBuilder contacts = new StringBuilder();
                    String sampled = null;
                    for (int i = 0; i < batch; i++) {
                        long customer = 919000000000L + (number * batch + i) % 50_000;
                        String wamid = "wamid.bench." + runId + "." + number + "." + i;
                        if ((number * batch + i) % sampleEvery == 0) {
                            sampled = wamid;
                        }
                        if (i > 0) {
                            messages.append(',');
                            contacts.append(',');
                        }
                        contacts.append("{\"profile\":{\"name\":\"Customer ").append(customer).append("\"},\"wa_id\":\"").append(customer).append("\"}");
                        messages.append("{\"from\":\"").append(customer).append("\",\"id\":\"").append(wamid)
                                .append("\",\"timestamp\":\"").append(Instant.now().getEpochSecond())
                                .append("\",\"type\":\"text\",\"text\":{\"body\":\"Benchmark message ").append(number).append('/').append(i).append("\"}}");
                    }
                    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                            + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":\"" + phoneNumberId + "\"},"
                            + "\"contacts\":[" + contacts + "],\"messages\":[" + messages + "]}}]}]}";
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    long sent = System.nanoTime();
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(callbackUrl))
                            .header("Content-Type", "application/json")
                            .header("X-Hub-Signature-256", sign(bytes, appSecret))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
                    long acked = System.nanoTime();
                    if (response.statusCode() == 200) {
                        ackMicros.add((acked - sent) / 1000);
                        if (sampled != null) {
                            samples.add(new String[] {sampled, Long.toString(acked)});
                        }
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(seconds + 120L, TimeUnit.SECONDS);
        double postingSeconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();

        // Webhook-to-stored: how long until a sampled message can be read back through the API.
        List<Long> storedMillis = new ArrayList<>();
        int missing = 0;
        for (String[] sample : samples) {
            long ackedAt = Long.parseLong(sample[1]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean found = false;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/messages?whatsappId=" + sample[0]))
                        .header("Authorization", "Bearer " + apiToken).build(), HttpResponse.BodyHandlers.ofString());
                if (lookup.body().contains("\"id\"")) {
                    storedMillis.add(Math.max(0, (System.nanoTime() - ackedAt) / 1_000_000));
                    found = true;
                    break;
                }
                Thread.sleep(20);
            }
            if (!found) {
                missing++;
            }
        }
        double allStoredSeconds = (System.nanoTime() - start) / 1e9;

        long[] acks = ackMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] stored = storedMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        long acknowledgedMessages = (long) acks.length * batch;
        String report = String.format("""
                # Webhook ingestion benchmark, %s

                Target: %d messages/s for %d s, %d messages per POST, %d concurrent senders, against %s.
                Machine: %d cores, Java %s.

                | Figure | Value |
                |---|---|
                | POSTs acknowledged (200) | %d of %d (%d failed) |
                | Messages acknowledged | %d |
                | Sustained acknowledged rate | %.0f messages/s (%.1f s of posting) |
                | Acknowledgement latency p50 / p95 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |
                | Webhook-to-stored (sampled 1 in %d, read back through the API) p50 / p95 / p99 / max | %d / %d / %d / %d ms (%d samples, %d not found within 120 s) |
                | All sampled messages stored after | %.1f s from the start |
                """,
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), rate, seconds, batch, senders, baseUrl,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                acks.length, totalPosts, failures.get(), acknowledgedMessages, acknowledgedMessages / postingSeconds, postingSeconds,
                percentile(acks, 50) / 1000.0, percentile(acks, 95) / 1000.0, percentile(acks, 99) / 1000.0,
                (acks.length == 0 ? 0 : acks[acks.length - 1]) / 1000.0,
                sampleEvery, percentile(stored, 50), percentile(stored, 95), percentile(stored, 99),
                stored.length == 0 ? 0 : stored[stored.length - 1], stored.length, missing, allStoredSeconds);
        System.out.println(report);
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        Files.createDirectories(reports);
        Path file = reports.resolve("webhook-ingestion-" + runId + ".md");
        Files.writeString(file, report);
        System.out.println("Report written to " + file);
    }

    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String sign(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("demo.json has no \"" + name + "\" (start the app with ./hexa run --demo)");
        }
        return matcher.group(1);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("Options come in pairs: " + Arrays.toString(args));
        }
        return options;
    }
}
