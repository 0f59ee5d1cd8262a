package hexa.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The retention purge under load, as the issue asks: expired messages purged while webhooks arrive at 500 messages/s,
 * without the acknowledgement p99 passing 100 ms. Against a running {@code ./hexa run --demo}: seeds the demo workspace
 * with {@code --messages} messages 120 to 200 days old (in conversations of 1,000, with their contacts) straight into
 * the app's PostgreSQL, then sends signed webhook POSTs to the demo number's callback at {@code --rate} messages/s
 * ({@code --batch} per POST) and measures every POST's acknowledgement from the moment it was due (no coordinated
 * omission): after {@code --warmup} seconds not counted, for {@code --baseline} seconds without a purge, then while the
 * Owner's "Run now" purges the workspace (90-day messages) until it answers, then {@code --baseline} seconds more. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench retention --demo-json data/demo.json [--messages 10000000] [--rate 500] [--batch 10] [--baseline 20]</pre>
 */
public final class RetentionBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RetentionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = InboxBenchmark.options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json")).toAbsolutePath();
        String demo = Files.readString(demoFile);
        String appUrl = InboxBenchmark.field(demo, "url");
        String callbackUrl = InboxBenchmark.field(demo, "callbackUrl");
        String appSecret = InboxBenchmark.field(demo, "appSecret");
        String phoneNumberId = InboxBenchmark.field(demo, "phoneNumberId");
        String wabaId = InboxBenchmark.field(demo, "wabaId");
        String display = InboxBenchmark.field(demo, "displayPhoneNumber");
        String ownerEmail = InboxBenchmark.field(demo.substring(demo.indexOf("\"owner\"")), "email");
        String ownerPassword = InboxBenchmark.field(demo.substring(demo.indexOf("\"owner\"")), "password");
        UUID tenant = UUID.fromString(InboxBenchmark.field(demo.substring(demo.indexOf("\"workspace\"")), "id"));
        long messages = Long.parseLong(options.getOrDefault("--messages", "10000000"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "500"));
        int batch = Integer.parseInt(options.getOrDefault("--batch", "10"));
        int baseline = Integer.parseInt(options.getOrDefault("--baseline", "20"));
        String jdbcUrl = options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile));

        StringBuilder report = new StringBuilder("# Retention purge under webhook load\n\n");
        report.append("- app: ").append(appUrl).append(", workspace ").append(tenant).append('\n');
        report.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (shared)\n");
        report.append("- webhooks: ").append(rate).append(" messages/s in POSTs of ").append(batch).append(", signed, to the demo number's callback\n");
        long expired;
        SEED_URL.set(jdbcUrl);
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            long seedStart = System.nanoTime();
            seed(db, tenant, messages);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            expired = InboxBenchmark.count(db, "select count(*) from messages where tenant_id = ? and created_at < now() - interval '90 days'", tenant);
            report.append(String.format("- seeded %,d expired messages in %.0f s (%,d rows in the messages table in all)%n%n", expired, seedSeconds,
                    InboxBenchmark.count(db, "select count(*) from messages", null)));
            System.out.printf("%,d expired messages in the workspace%n", expired);
        }

        WebhookLoad load = new WebhookLoad(callbackUrl, appSecret, phoneNumberId, wabaId, display, rate, batch);
        String run = Long.toString(System.currentTimeMillis(), 36);
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "15"));
        send(load, run, Duration.ofSeconds(warmup), null);
        report.append("- warm-up: ").append(warmup).append(" s of the same webhooks, not counted\n\n");
        report.append("| Phase | Duration | POSTs | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        List<Double> quiet = send(load, run, Duration.ofSeconds(baseline), null);
        report.append(line("Webhooks alone", quiet, baseline));

        OwnerSession owner = OwnerSession.signIn(appUrl, ownerEmail, ownerPassword);
        owner.keepMessages(90);
        AtomicBoolean done = new AtomicBoolean();
        long purgeStart = System.nanoTime();
        CompletableFuture<String> purge = CompletableFuture.supplyAsync(() -> {
            try {
                return owner.runNow();
            } finally {
                done.set(true);
            }
        });
        List<Double> during = send(load, run, Duration.ofHours(6), done);
        String answer = purge.join();
        double purgeSeconds = (System.nanoTime() - purgeStart) / 1e9;
        long left;
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            left = InboxBenchmark.count(db, "select count(*) from messages where tenant_id = ? and created_at < now() - interval '90 days'", tenant);
        }
        report.append(line("Webhooks while the purge runs", during, purgeSeconds));
        report.append(line("Webhooks after the purge", send(load, run, Duration.ofSeconds(baseline), null), baseline));
        report.append(String.format("%nPurge: %,d expired messages removed in %.1f s (%,.0f messages/s); %,d left; the page said: \"%s\".%n",
                expired - left, purgeSeconds, (expired - left) / purgeSeconds, left, answer));
        double p99 = percentile(during, 99);
        report.append(String.format("%nAcknowledgement p99 during the purge: **%.1f ms** (target: under 100 ms): %s.%n", p99,
                p99 < 100 ? "met" : "NOT met"));
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        Files.createDirectories(reports);
        Path file = reports.resolve("retention-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.writeString(file, report.toString());
        System.out.print(report);
        System.out.println("Report written to " + file);
        load.close();
    }

    /** Contacts, resolved conversations of 1,000 messages each and the messages, all 120 to 200 days old. */
    /** The JDBC URL (with its credentials) the seeding connections use: {@code --jdbc}, or the demo's database. */
    static final java.util.concurrent.atomic.AtomicReference<String> SEED_URL = new java.util.concurrent.atomic.AtomicReference<>();

    static void seed(Connection db, UUID tenant, long messages) throws Exception {
        UUID connection = InboxBenchmark.uuid(db, "select id from whatsapp_connections where tenant_id = ? order by created_at limit 1", tenant);
        long conversations = Math.max(1, messages / 1000);
        String salt = "retention-" + Long.toString(System.currentTimeMillis(), 36);
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (var s = db.createStatement()) {
            s.execute("set local synchronous_commit = off");
        }
        exec(db, """
                insert into contacts (tenant_id, id, profile_name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                select ?, md5(? || 'c' || n)::uuid, 'Expired ' || n, '+1555' || lpad(n::text, 7, '0') || '-' || substr(md5(?), 1, 8),
                       null, now() - interval '200 days', now() - interval '200 days', now() - interval '120 days'
                  from generate_series(1, ?) n
                """, tenant, salt, salt, conversations);
        exec(db, """
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at, resolved_at)
                select ?, md5(? || 'v' || n)::uuid, md5(? || 'c' || n)::uuid, ?, 'RESOLVED', now() - interval '200 days',
                       now() - interval '120 days', now() - interval '120 days'
                  from generate_series(1, ?) n
                """, tenant, salt, salt, connection, conversations);
        db.commit();
        // The messages in chunks on two connections at once: with the search indexes live, one session inserts at
        // a few thousand rows a second, and 10 million of them took half an hour.
        long chunk = 500_000;
        java.util.concurrent.ExecutorService seeders = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> chunks = new ArrayList<>();
        for (long from = 1; from <= messages; from += chunk) {
            long first = from;
            long last = Math.min(messages, from + chunk - 1);
            chunks.add(seeders.submit(() -> {
                try (Connection one = DriverManager.getConnection(SEED_URL.get())) {
                    one.setAutoCommit(false);
                    try (var s = one.createStatement()) {
                        s.execute("set local synchronous_commit = off");
                    }
                    exec(one, """
                            insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                            select ?, md5(? || 'm' || n)::uuid, md5(? || 'v' || (1 + n % ?))::uuid, md5(? || 'c' || (1 + n % ?))::uuid,
                                   case when n % 2 = 0 then 'INBOUND' else 'OUTBOUND' end, 'wamid.' || md5(? || 'w' || n), 'text',
                                   'An old message number ' || n, '{}'::jsonb, case when n % 2 = 0 then 'RECEIVED' else 'READ' end,
                                   now() - interval '120 days' - make_interval(secs => n % (80 * 86400)),
                                   now() - interval '120 days' - make_interval(secs => n % (80 * 86400))
                              from generate_series(?::bigint, ?::bigint) n
                            """, tenant, salt, salt, conversations, salt, conversations, salt, first, last);
                    one.commit();
                }
                return null;
            }));
        }
        seeders.shutdown();
        for (java.util.concurrent.Future<?> done : chunks) {
            done.get();
        }
        db.setAutoCommit(auto);
        try (var s = db.createStatement()) {
            s.execute("analyze messages");
            s.execute("analyze conversations");
            s.execute("analyze contacts");
        }
    }

    private static void exec(Connection db, String sql, Object... params) throws Exception {
        long start = System.nanoTime();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            int rows = ps.executeUpdate();
            System.out.printf("  %,d rows in %.1f s: %s%n", rows, (System.nanoTime() - start) / 1e9, sql.strip().lines().findFirst().orElse(""));
        }
    }

    private static String line(String what, List<Double> latencies, double seconds) {
        return String.format("| %s | %.0f s | %,d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n", what, seconds, latencies.size(),
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99), percentile(latencies, 100));
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Sends the retention load's messages ("Load message n" from 2,000 customers) and answers each POST's latency. */
    private static List<Double> send(WebhookLoad load, String run, Duration longest, AtomicBoolean stop) throws Exception {
        WebhookLoad.Sent sent = load.run(longest, stop, n -> new WebhookLoad.Message("1666" + String.format("%07d", n % 2000), "Load " + (n % 2000),
                "wamid.retention." + run + "." + n, "Load message " + n));
        if (sent.failures() > 0) {
            System.out.println(sent.failures() + " webhook POSTs were not answered 200");
        }
        return sent.latencies();
    }

    /** The demo Owner signed in to the web pages, with the session's CSRF token. */
    static final class OwnerSession {

        private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;

        private OwnerSession(String base) {
            this.base = base;
        }

        static OwnerSession signIn(String base, String email, String password) throws Exception {
            OwnerSession session = new OwnerSession(base);
            HttpResponse<String> signedIn = session.post("/sign-in", session.csrf("/sign-in"), Map.of("email", email, "password", password), 30);
            if (signedIn.statusCode() != 302 || signedIn.headers().firstValue("Location").orElse("").contains("sign-in")) {
                throw new IllegalStateException("Could not sign in as the demo Owner: " + signedIn.statusCode());
            }
            return session;
        }

        void keepMessages(int days) throws Exception {
            HttpResponse<String> saved = post("/settings/privacy", csrf("/settings/privacy"),
                    Map.of("messageDays", Integer.toString(days), "keepContacts", "true", "logDays", "180"), 30);
            if (saved.statusCode() != 302) {
                throw new IllegalStateException("Settings → Privacy refused the periods: " + saved.statusCode());
            }
        }

        /**
         * Presses "Run now" and follows the page as a browser does (the purge goes on in the background once it takes
         * longer than the page waits) until it shows the run finished; answers what the page said.
         */
        String runNow() {
            try {
                HttpResponse<String> ran = post("/settings/privacy/run", csrf("/settings/privacy"), Map.of(), 600);
                String page = get("/settings/privacy");
                Matcher notice = Pattern.compile("The purge removed [0-9,]+ rows\\.|The purge stopped[^<]*|The purge is running[^<]*").matcher(page);
                String said = ran.statusCode() + (notice.find() ? " " + notice.group() : "");
                while (page.contains("data-testid=\"purge-running\"")) {
                    Thread.sleep(2000);
                    page = get("/settings/privacy");
                }
                Matcher last = Pattern.compile("ran the purge by hand on [^;]*; it removed [0-9,]+ rows\\.").matcher(page);
                return said + (last.find() ? " Then: " + last.group() : "");
            } catch (Exception e) {
                return "failed: " + e;
            }
        }

        private String get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        private String csrf(String path) throws Exception {
            String page = client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
            if (!token.find()) {
                throw new IllegalStateException("No CSRF token on " + path);
            }
            return token.group(1);
        }

        private HttpResponse<String> post(String path, String csrf, Map<String, String> form, int timeoutSeconds) throws Exception {
            StringBuilder body = new StringBuilder("_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
            form.forEach((k, v) -> body.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(timeoutSeconds)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
