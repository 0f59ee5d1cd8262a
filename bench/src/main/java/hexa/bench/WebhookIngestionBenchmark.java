package hexa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook ingestion, as the issue asks for it: the standalone sandbox plays Meta and drives many
 * simulated customers at a target rate against a running Hexa CRM ({@code ./hexa run --demo}); its
 * webhook sender measures how fast every POST is acknowledged. Then the same number of rows is written
 * straight into the app's PostgreSQL, as the ceiling. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench webhooks --demo-json data/demo.json --rate 2000 --seconds 20 --batch 10 --concurrency 16</pre>
 *
 * <p>What is measured: acknowledgement latency of every POST (by the sandbox's sender, from sending
 * the request to the 200); the sustained acknowledged rate; webhook-to-stored for every message (from
 * the stored webhook's {@code received_at} to the message row's {@code created_at}, both stamped by
 * the app); customer-to-visible for a sample (a message sent through the sandbox's control API until
 * {@code GET /api/v1/messages?whatsappId=} finds it); lost and duplicated messages (counted in the
 * database); the CPU time each process used.
 */
public final class WebhookIngestionBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The control token the benchmark gives the sandbox it starts, and shows on every control API request. */
    private static final String SANDBOX_CONTROL_TOKEN = "bench_" + UUID.randomUUID().toString().replace("-", "");

    private WebhookIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json")).toAbsolutePath();
        Path dataDir = demoFile.getParent();
        String demo = Files.readString(demoFile);
        String callbackUrl = field(demo, "callbackUrl");
        String appSecret = field(demo, "appSecret");
        String verifyToken = field(demo, "verifyToken");
        String phoneNumberId = field(demo, "phoneNumberId");
        String wabaId = field(demo, "wabaId");
        String display = field(demo, "displayPhoneNumber");
        String apiToken = field(demo, "apiToken");
        String appUrl = field(demo, "url");
        UUID tenant = UUID.fromString(field(demo.substring(demo.indexOf("\"workspace\"")), "id"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "2000"));
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
        int batch = Integer.parseInt(options.getOrDefault("--batch", "10"));
        int concurrency = Integer.parseInt(options.getOrDefault("--concurrency", "16"));
        int customers = Integer.parseInt(options.getOrDefault("--customers", "10000"));
        int sampleEvery = Integer.parseInt(options.getOrDefault("--sample-every", "1000"));
        int ceilingThreads = Integer.parseInt(options.getOrDefault("--ceiling-threads", "2"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10"));
        int sandboxPort = Integer.parseInt(options.getOrDefault("--sandbox-port", "8091"));
        // Meta's senders are not on the machine under test. The sandbox standing in for them shares its
        // cores, so it runs lean: the serial collector (no parallel GC threads competing with the app) and
        // a small heap, which is plenty since load runs keep nothing per message.
        String sandboxJvm = options.getOrDefault("--sandbox-jvm", "-XX:+UseSerialGC -Xmx1g");
        Path sandboxJar = Path.of(options.getOrDefault("--sandbox-jar", "sandbox/target/hexa-sandbox-standalone.jar"));
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        String note = options.getOrDefault("--note", "");
        // Processing capacity: the load is acknowledged while the messages table is locked against writes, so that
        // the app's processing works through a backlog afterwards, alone on the machine like the ceiling, instead of
        // at the rate the load generator offers.
        boolean backlog = Boolean.parseBoolean(options.getOrDefault("--backlog", "false"));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Files.createDirectories(reports);

        String postmaster = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(0).strip();
        String pgPort = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).strip();
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres&password="
                + Files.readString(dataDir.resolve("pg.password")).strip();
        long appPid = Processes.findByArgument("--hexa.data-dir=" + dataDir);

        // Meta: the standalone sandbox, with the demo's number, sending to the app's callback URL.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> sandboxCommand = new ArrayList<>();
        sandboxCommand.add(java);
        for (String option : sandboxJvm.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                sandboxCommand.add(option);
            }
        }
        sandboxCommand.addAll(List.of("-jar", sandboxJar.toString(), "--port", Integer.toString(sandboxPort),
                "--callback", callbackUrl, "--app-secret", appSecret, "--verify-token", verifyToken,
                "--phone-number-id", phoneNumberId, "--waba-id", wabaId, "--display-phone-number", display,
                "--control-token", SANDBOX_CONTROL_TOKEN,
                // The benchmark's own sandbox: its load runs may be as long and fast as the options ask.
                "--hexa.sandbox.max-load-messages=" + Long.MAX_VALUE, "--hexa.sandbox.max-load-rate=1000000"));
        Process sandbox = new ProcessBuilder(sandboxCommand)
                .redirectErrorStream(true).redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "hexa-bench-sandbox-" + runId + ".log").toFile())
                .start();
        String sandboxUrl = "http://127.0.0.1:" + sandboxPort + "/sandbox/api";
        try {
            awaitVerified(sandboxUrl, phoneNumberId);
            send("PATCH", sandboxUrl + "/switches", "{\"maxBatchSize\":" + batch + ",\"deliveryConcurrency\":" + concurrency + ",\"batchWindowMs\":0}");
            Database db = new Database(jdbcUrl, tenant);
            if (warmup > 0) {
                // Both JVMs compile their hot paths in the first seconds; that is not what is measured.
                System.out.printf("Warming up: %d messages/s for %d s%n", rate, warmup);
                Instant warmupStart = Instant.now();
                send("DELETE", sandboxUrl + "/stats", null);
                long warmupMessages = (long) rate * warmup;
                int warmupCustomers = (int) Math.min(customers, warmupMessages);
                long warmupEach = (warmupMessages + warmupCustomers - 1) / warmupCustomers;
                String warm = send("POST", sandboxUrl + "/load", "{\"customers\":" + warmupCustomers + ",\"messagesPerCustomer\":" + warmupEach
                        + ",\"messagesPerSecond\":" + rate + ",\"phoneNumberId\":\"" + phoneNumberId + "\",\"text\":\"warmup " + runId + "\"}");
                while (!send("GET", sandboxUrl + "/load/" + field(warm, "id"), null).contains("\"done\":true")) {
                    Thread.sleep(200);
                }
                db.awaitStored("warmup " + runId, warmupStart, warmupCustomers * warmupEach, Duration.ofSeconds(300));
                Thread.sleep(2000);
            }
            send("DELETE", sandboxUrl + "/stats", null);

            long total = (long) rate * seconds;
            int perCustomer = (int) Math.max(1, (total + customers - 1) / customers);
            int runCustomers = (int) Math.min(customers, total);
            total = (long) runCustomers * perCustomer;
            String text = "bench " + runId;
            String uptimeAtStart = uptime();
            Instant startedAt = Instant.now();
            Connection hold = null;
            if (backlog) {
                // SHARE mode lets the API read messages and keeps every writer waiting: the processing workers stop
                // at their first insert, holding one claimed batch each, while the acknowledged events pile up.
                hold = db.open();
                hold.setAutoCommit(false);
                try (java.sql.Statement lock = hold.createStatement()) {
                    lock.execute("lock table messages in share mode");
                }
            }
            Map<String, Long> cpuBefore = Processes.cpuMillis(appPid, Long.parseLong(postmaster), sandbox.pid());
            long start = System.nanoTime();
            System.out.printf("Sandbox: %d customers send %d messages at %d/s (POSTs of up to %d, %d in flight) to %s%n",
                    runCustomers, total, rate, batch, concurrency, callbackUrl);
            String load = send("POST", sandboxUrl + "/load", "{\"customers\":" + runCustomers + ",\"messagesPerCustomer\":" + perCustomer
                    + ",\"messagesPerSecond\":" + rate + ",\"phoneNumberId\":\"" + phoneNumberId + "\",\"text\":\"" + text + "\"}");
            String loadId = field(load, "id");

            // A person watching: now and then a customer writes, and we wait until the message can be read back.
            Sampler sampler = new Sampler(sandboxUrl, appUrl, apiToken, phoneNumberId, text);
            long sampleIntervalNanos = TimeUnit.SECONDS.toNanos(1) * sampleEvery / rate;
            long nextSample = start;
            boolean loadDone = false;
            long allAcknowledgedAt = 0;
            long delivered = 0;
            long nextPoll = start;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds + 300L)) {
                if (!backlog && !loadDone && System.nanoTime() >= nextSample) {
                    sampler.sendOne();
                    nextSample += sampleIntervalNanos;
                }
                if (System.nanoTime() >= nextPoll) {
                    // The sandbox shares the machine: ask it little while it sends, then often for the last POSTs.
                    nextPoll += TimeUnit.MILLISECONDS.toNanos(loadDone ? 50 : 200);
                    if (!loadDone) {
                        loadDone = send("GET", sandboxUrl + "/load/" + loadId, null).contains("\"done\":true");
                    }
                    if (loadDone) {
                        delivered = number(send("GET", sandboxUrl + "/stats", null), "delivered");
                        if (delivered >= total + sampler.sent()) {
                            allAcknowledgedAt = System.nanoTime();
                            break;
                        }
                    }
                }
                Thread.sleep(5);
            }
            Map<String, Long> cpuAfter = Processes.cpuMillis(appPid, Long.parseLong(postmaster), sandbox.pid());
            double ackSeconds = ((allAcknowledgedAt == 0 ? System.nanoTime() : allAcknowledgedAt) - start) / 1e9;
            String stats = send("GET", sandboxUrl + "/stats", null);
            long expected = total + sampler.sent();
            Timestamp released = null;
            Map<String, Long> cpuReleased = null;
            if (hold != null) {
                Thread.sleep(1000); // the last POSTs' group commit
                try (java.sql.Statement now = hold.createStatement(); ResultSet rs = now.executeQuery("select clock_timestamp()")) {
                    rs.next();
                    released = rs.getTimestamp(1);
                }
                cpuReleased = Processes.cpuMillis(appPid, Long.parseLong(postmaster), sandbox.pid());
                hold.commit();
                hold.close();
            }

            long storedAt = db.awaitStored(text, startedAt, expected, Duration.ofSeconds(300));
            double storedSeconds = (storedAt - start) / 1e9;
            Map<String, Long> cpuStored = Processes.cpuMillis(appPid, Long.parseLong(postmaster), sandbox.pid());
            sampler.awaitAll(Duration.ofSeconds(60));
            Database.Counts counts = db.counts(text, startedAt);
            String backlogLine = "";
            if (released != null) {
                double drained = db.secondsToLastStored(text, startedAt, released);
                backlogLine = String.format(Locale.ROOT, "| **Processing a backlog**: the %d acknowledged messages, processed after the messages table was"
                                + " released (%d webhook events) | %.2f s to the last one stored: **%.0f messages/s**; CPU app / PostgreSQL %.1f / %.1f s |%n",
                        counts.stored(), db.eventsOfRun(startedAt), drained, counts.stored() / drained,
                        seconds(cpuReleased, cpuStored, "app"), seconds(cpuReleased, cpuStored, "postgres"));
            }
            long[] toStored = db.webhookToStoredMillis(startedAt);
            long[] visible = sampler.visibleMillis();

            // The ceiling: the same rows, straight into PostgreSQL, durable commits, the same POST size.
            Ceiling.Result ceiling = new Ceiling(jdbcUrl, tenant, db.connectionOf(phoneNumberId), runId).run(counts.stored(), batch,
                    ceilingThreads, runCustomers);

            String ack = jsonObject(stats, "ackMillis");
            String report = String.format("""
                    # Webhook ingestion benchmark, %s

                    Meta played by the standalone sandbox (`%s`, its own JVM on this machine, `%s`): %d simulated customers send
                    %d text messages at %d/s to %s; webhook POSTs carry up to %d messages, up to %d POSTs in flight
                    (`maxBatchSize`, `deliveryConcurrency`). Sample: 1 message in %d sent through the control API and read back
                    through `GET /api/v1/messages?whatsappId=`. Measured after a %d s warm-up at the same rate.
                    Machine: %d cores, Java %s; `uptime` at the start: %s
                    App: `%s`%s

                    | Figure | Value |
                    |---|---|
                    | Messages sent by the sandbox | %d (%d load + %d sampled) |
                    | Messages acknowledged (200) | %d, in %d POSTs (%d retried, %d given up) |
                    | Sustained acknowledged rate | %.0f messages/s (all acknowledged %.1f s after the start) |
                    | Acknowledgement latency p50 / p95 / p99 / max (every POST, measured by the sender) | %s / %s / %s / %s ms |
                    | Webhook-to-stored p50 / p95 / p99 / max (every message: event `received_at` → message `created_at`) | %d / %d / %d / %d ms |
                    | Customer-to-visible p50 / p95 / p99 / max (%d sampled, %d not found) | %d / %d / %d / %d ms |
                    | All messages stored | %.1f s after the start (processing rate %.0f messages/s) |
                    | Stored / lost / duplicated | %d / %d / %d |
                    | Webhook events of the run pending / failed at the end | %d / %d |
                    | CPU time during the acknowledged phase: app / PostgreSQL / sandbox (load generator) | %.1f / %.1f / %.1f s (of %.1f s × %d cores) |
                    | CPU time until all stored: app / PostgreSQL / sandbox | %.1f / %.1f / %.1f s (of %.1f s × %d cores) |
                    | **Ceiling**: the same %d messages written straight into PostgreSQL | %.0f messages/s (%d threads, transactions of %d messages with their webhook event, contacts, conversations; commit p50 / p99 %.1f / %.1f ms) |
                    %s""",
                    LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), sandboxJar, sandboxJvm, runCustomers, total, rate, callbackUrl,
                    batch, concurrency, sampleEvery, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    uptimeAtStart, Processes.commandLine(appPid), note.isEmpty() ? "" : "\n\n" + note,
                    expected, total, sampler.sent(),
                    delivered, number(stats, "posts"), number(stats, "retried"), number(stats, "failed"),
                    delivered / ackSeconds, ackSeconds,
                    decimal(ack, "p50"), decimal(ack, "p95"), decimal(ack, "p99"), decimal(ack, "max"),
                    percentile(toStored, 50), percentile(toStored, 95), percentile(toStored, 99), max(toStored),
                    visible.length, sampler.sent() - visible.length,
                    percentile(visible, 50), percentile(visible, 95), percentile(visible, 99), max(visible),
                    storedSeconds, counts.stored() / storedSeconds,
                    counts.stored(), Math.max(0, expected - counts.distinct()), counts.stored() - counts.distinct(),
                    counts.pendingEvents(), counts.failedEvents(),
                    seconds(cpuBefore, cpuAfter, "app"), seconds(cpuBefore, cpuAfter, "postgres"), seconds(cpuBefore, cpuAfter, "sandbox"),
                    ackSeconds, Runtime.getRuntime().availableProcessors(),
                    seconds(cpuBefore, cpuStored, "app"), seconds(cpuBefore, cpuStored, "postgres"), seconds(cpuBefore, cpuStored, "sandbox"),
                    storedSeconds, Runtime.getRuntime().availableProcessors(),
                    counts.stored(), ceiling.messagesPerSecond(), ceilingThreads, batch, ceiling.commitP50Millis(), ceiling.commitP99Millis(),
                    backlogLine.isEmpty() ? "" : backlogLine + String.format(Locale.ROOT,
                            "| Processing a backlog against the ceiling | **%.0f %%** |%n", 100 * counts.stored() / db.lastDrainSeconds / ceiling.messagesPerSecond()));
            System.out.println(report);
            Path file = reports.resolve("webhook-ingestion-" + runId + ".md");
            Files.writeString(file, report);
            System.out.println("Report written to " + file);
        } finally {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Customers writing now and then through the control API, and how long until each message is visible in the CRM. */
    private static final class Sampler {
        private final String sandboxUrl;
        private final String appUrl;
        private final String apiToken;
        private final String phoneNumberId;
        private final String text;
        private final Map<String, Long> outstanding = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<Long> visibleMillis = new ConcurrentLinkedQueue<>();
        private final AtomicLong sent = new AtomicLong();
        private final Thread watcher;
        private volatile boolean stopped;

        Sampler(String sandboxUrl, String appUrl, String apiToken, String phoneNumberId, String text) {
            this.sandboxUrl = sandboxUrl;
            this.appUrl = appUrl;
            this.apiToken = apiToken;
            this.phoneNumberId = phoneNumberId;
            this.text = text;
            this.watcher = new Thread(this::watch, "bench-sample-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        void sendOne() throws IOException, InterruptedException {
            long n = sent.incrementAndGet();
            long sentAt = System.nanoTime();
            String message = send("POST", sandboxUrl + "/customers/" + (1998_0000_0000L + n) + "/messages",
                    "{\"type\":\"text\",\"text\":{\"body\":\"" + text + " sample " + n + "\"},\"phoneNumberId\":\"" + phoneNumberId + "\"}");
            outstanding.put(field(message, "id"), sentAt);
        }

        long sent() {
            return sent.get();
        }

        /**
         * Looks the outstanding samples up one after another, at most 20 lookups a second in all, so
         * that watching does not take the app's CPU from the work being measured.
         */
        private void watch() {
            while (!stopped) {
                for (Map.Entry<String, Long> sample : outstanding.entrySet()) {
                    try {
                        HttpResponse<String> lookup = HTTP.send(HttpRequest.newBuilder(URI.create(appUrl + "/api/v1/messages?whatsappId="
                                        + URLEncoder.encode(sample.getKey(), StandardCharsets.UTF_8)))
                                .header("Authorization", "Bearer " + apiToken).build(), HttpResponse.BodyHandlers.ofString());
                        if (lookup.body().contains("\"id\"")) {
                            visibleMillis.add((System.nanoTime() - sample.getValue()) / 1_000_000);
                            outstanding.remove(sample.getKey());
                        }
                        Thread.sleep(50);
                    } catch (IOException e) {
                        // try again in the next round
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!outstanding.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stopped = true;
        }

        long[] visibleMillis() {
            return visibleMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /** What the app stored, read straight from its PostgreSQL. */
    private static final class Database {
        private final String url;
        private final UUID tenant;

        record Counts(long stored, long distinct, long pendingEvents, long failedEvents) {
        }

        Database(String url, UUID tenant) {
            this.url = url;
            this.tenant = tenant;
        }

        Connection open() throws SQLException {
            return DriverManager.getConnection(url, "postgres", "");
        }

        /** Waits until every message of the run is stored; answers the moment (System.nanoTime) it was seen. */
        long awaitStored(String text, Instant since, long expected, Duration timeout) throws SQLException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            // Only this run's rows (the index on created_at), so that watching costs the server little.
            try (Connection c = open(); PreparedStatement count = c.prepareStatement(
                    "select count(*) from messages where created_at >= ? and tenant_id = ? and direction = 'INBOUND' and body like ?")) {
                count.setTimestamp(1, Timestamp.from(since));
                count.setObject(2, tenant);
                count.setString(3, text + " %");
                while (System.nanoTime() < deadline) {
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= expected) {
                            return System.nanoTime();
                        }
                    }
                    Thread.sleep(250);
                }
            }
            return System.nanoTime();
        }

        double lastDrainSeconds;

        /** Seconds from the moment processing was let go to the last message of the run stored, by the database's clock. */
        double secondsToLastStored(String text, Instant since, Timestamp released) throws SQLException {
            try (Connection c = open(); PreparedStatement q = c.prepareStatement(
                    "select extract(epoch from max(created_at) - ?) from messages where created_at >= ? and tenant_id = ? and direction = 'INBOUND' and body like ?")) {
                q.setTimestamp(1, released);
                q.setTimestamp(2, Timestamp.from(since));
                q.setObject(3, tenant);
                q.setString(4, text + " %");
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    lastDrainSeconds = rs.getDouble(1);
                    return lastDrainSeconds;
                }
            }
        }

        /** Webhook events stored since the run started. */
        long eventsOfRun(Instant since) throws SQLException {
            try (Connection c = open(); PreparedStatement q = c.prepareStatement(
                    "select count(*) from webhook_events where tenant_id = ? and received_at >= ?")) {
                q.setObject(1, tenant);
                q.setTimestamp(2, Timestamp.from(since));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        Counts counts(String text, Instant since) throws SQLException {
            try (Connection c = open(); PreparedStatement q = c.prepareStatement("""
                    select (select count(*) from messages where tenant_id = ? and direction = 'INBOUND' and body like ?),
                           (select count(distinct body) from messages where tenant_id = ? and direction = 'INBOUND' and body like ?),
                           (select count(*) from webhook_events where tenant_id = ? and received_at >= ? and processed_at is null),
                           (select count(*) from webhook_events where tenant_id = ? and received_at >= ? and last_error is not null)
                    """)) {
                q.setObject(1, tenant);
                q.setString(2, text + " %");
                q.setObject(3, tenant);
                q.setString(4, text + " %");
                q.setObject(5, tenant);
                q.setTimestamp(6, Timestamp.from(since));
                q.setObject(7, tenant);
                q.setTimestamp(8, Timestamp.from(since));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                }
            }
        }

        /** For every message of the run: from its first stored webhook's received_at to the message row's created_at. */
        long[] webhookToStoredMillis(Instant since) throws SQLException {
            List<Long> out = new ArrayList<>();
            try (Connection c = open(); PreparedStatement q = c.prepareStatement("""
                    with first_seen as (
                        select j.id #>> '{}' as wamid, min(e.received_at) as received_at
                          from webhook_events e
                          cross join lateral jsonb_path_query(e.body::jsonb, '$.entry[*].changes[*].value.messages[*].id') as j(id)
                         where e.tenant_id = ? and e.received_at >= ?
                         group by 1
                    )
                    select (extract(epoch from m.created_at - f.received_at) * 1000)::bigint
                      from first_seen f join messages m on m.tenant_id = ? and m.wamid = f.wamid
                    """)) {
                q.setObject(1, tenant);
                q.setTimestamp(2, Timestamp.from(since));
                q.setObject(3, tenant);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        UUID connectionOf(String phoneNumberId) throws SQLException {
            try (Connection c = open(); PreparedStatement q = c.prepareStatement(
                    "select id from whatsapp_connections where tenant_id = ? and phone_number_id = ? and status <> 'DISCONNECTED'")) {
                q.setObject(1, tenant);
                q.setString(2, phoneNumberId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        }
    }

    /**
     * The same rows written straight into PostgreSQL, without HTTP, JSON or the app: per transaction, the
     * raw webhook event (already marked processed), the contacts upserted, their live conversations found
     * or opened, the messages inserted and the conversations touched. Durable commits, like the app's.
     */
    private static final class Ceiling {
        private final String url;
        private final UUID tenant;
        private final UUID connection;
        private final String runId;

        record Result(double messagesPerSecond, double commitP50Millis, double commitP99Millis) {
        }

        Ceiling(String url, UUID tenant, UUID connection, String runId) {
            this.url = url;
            this.tenant = tenant;
            this.connection = connection;
            this.runId = runId;
        }

        Result run(long messages, int batch, int threads, int customers) throws Exception {
            AtomicLong next = new AtomicLong();
            ConcurrentLinkedQueue<Long> commitMicros = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                        c.setAutoCommit(false);
                        while (true) {
                            long first = next.getAndAdd(batch);
                            if (first >= messages) {
                                return;
                            }
                            long began = System.nanoTime();
                            writeBatch(c, first, (int) Math.min(batch, messages - first), customers);
                            c.commit();
                            commitMicros.add((System.nanoTime() - began) / 1000);
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }, "bench-ceiling-" + t);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] commits = commitMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(messages / elapsed, percentile(commits, 50) / 1000.0, percentile(commits, 99) / 1000.0);
        }

        private void writeBatch(Connection c, long first, int count, int customers) throws SQLException {
            String[] waIds = new String[count];
            String[] wamids = new String[count];
            String[] bodies = new String[count];
            StringBuilder webhook = new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[");
            for (int i = 0; i < count; i++) {
                long n = first + i;
                waIds[i] = "1999" + String.format("%08d", n % customers + 1);
                wamids[i] = "wamid.ceiling." + runId + "." + n;
                bodies[i] = "ceiling " + runId + " #" + n;
                webhook.append(i == 0 ? "" : ",").append("{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",")
                        .append("\"contacts\":[{\"profile\":{\"name\":\"Load Customer\"},\"wa_id\":\"").append(waIds[i]).append("\"}],")
                        .append("\"messages\":[{\"from\":\"").append(waIds[i]).append("\",\"id\":\"").append(wamids[i])
                        .append("\",\"type\":\"text\",\"text\":{\"body\":\"").append(bodies[i]).append("\"}}]}}]}");
            }
            webhook.append("]}");
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement event = c.prepareStatement("""
                    insert into webhook_events (tenant_id, id, connection_id, received_at, body, next_attempt_at, processed_at, attempts)
                    values (?, gen_random_uuid(), ?, ?, ?, ?, ?, 1)
                    """)) {
                event.setObject(1, tenant);
                event.setObject(2, connection);
                event.setTimestamp(3, now);
                event.setString(4, webhook.toString());
                event.setTimestamp(5, now);
                event.setTimestamp(6, now);
                event.executeUpdate();
            }
            Array waIdArray = c.createArrayOf("text", distinct(waIds));
            try (PreparedStatement contacts = c.prepareStatement("""
                    insert into contacts (tenant_id, id, profile_name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                    select ?, gen_random_uuid(), 'Load Customer', '+' || w, w, ?, ?, ? from unnest(?::text[]) as w
                    on conflict (tenant_id, wa_id) where wa_id is not null
                    do update set profile_name = excluded.profile_name, last_activity_at = excluded.last_activity_at, updated_at = excluded.updated_at
                    """)) {
                contacts.setObject(1, tenant);
                contacts.setTimestamp(2, now);
                contacts.setTimestamp(3, now);
                contacts.setTimestamp(4, now);
                contacts.setArray(5, waIdArray);
                contacts.executeUpdate();
            }
            try (PreparedStatement open = c.prepareStatement("""
                    insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                    select ?, gen_random_uuid(), k.id, ?, 'OPEN', ?, ? from contacts k where k.tenant_id = ? and k.wa_id = any(?::text[])
                    on conflict (tenant_id, contact_id, connection_id) where status <> 'RESOLVED' do nothing
                    """)) {
                open.setObject(1, tenant);
                open.setObject(2, connection);
                open.setTimestamp(3, now);
                open.setTimestamp(4, now);
                open.setObject(5, tenant);
                open.setArray(6, waIdArray);
                open.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    with rows as (
                        select r.wamid, r.body, k.id as contact, v.id as conversation
                          from unnest(?::text[], ?::text[], ?::text[]) as r(wa_id, wamid, body)
                          join contacts k on k.tenant_id = ? and k.wa_id = r.wa_id
                          join conversations v on v.tenant_id = ? and v.contact_id = k.id and v.connection_id = ? and v.status <> 'RESOLVED'
                    ), stored as (
                        insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at)
                        select ?, gen_random_uuid(), conversation, contact, 'INBOUND', wamid, 'text', body,
                               jsonb_build_object('type', 'text', 'id', wamid, 'text', jsonb_build_object('body', body)), 'RECEIVED', ?, ?
                          from rows
                        on conflict (tenant_id, wamid) where wamid is not null do nothing
                        returning conversation_id
                    )
                    update conversations set last_message_at = ?, last_inbound_at = ?
                     where tenant_id = ? and id in (select conversation_id from stored)
                    """)) {
                insert.setArray(1, c.createArrayOf("text", waIds));
                insert.setArray(2, c.createArrayOf("text", wamids));
                insert.setArray(3, c.createArrayOf("text", bodies));
                insert.setObject(4, tenant);
                insert.setObject(5, tenant);
                insert.setObject(6, connection);
                insert.setObject(7, tenant);
                insert.setTimestamp(8, now);
                insert.setTimestamp(9, now);
                insert.setTimestamp(10, now);
                insert.setTimestamp(11, now);
                insert.setObject(12, tenant);
                insert.executeUpdate();
            }
        }

        private static String[] distinct(String[] values) {
            return Arrays.stream(values).distinct().sorted().toArray(String[]::new);
        }
    }

    /** CPU time of the processes taking part, from /proc (Linux). */
    private static final class Processes {

        static long findByArgument(String argument) throws IOException {
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("[0-9]+")).toList()) {
                    try {
                        String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                        if (cmdline.contains(argument) && cmdline.contains("java")) {
                            return Long.parseLong(dir.getFileName().toString());
                        }
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                }
            }
            return -1;
        }

        static String commandLine(long pid) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
            } catch (IOException e) {
                return "?";
            }
        }

        /** CPU milliseconds (user + system) of the app, of PostgreSQL (postmaster and its children) and of the sandbox. */
        static Map<String, Long> cpuMillis(long app, long postmaster, long sandbox) throws IOException {
            Map<String, Long> out = new HashMap<>();
            out.put("app", ticks(app) * 10);
            out.put("sandbox", ticks(sandbox) * 10);
            long postgres = ticks(postmaster);
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("[0-9]+")).toList()) {
                    String[] stat = stat(Long.parseLong(dir.getFileName().toString()));
                    if (stat != null && Long.parseLong(stat[1]) == postmaster) {
                        postgres += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                    }
                }
            }
            out.put("postgres", postgres * 10);
            return out;
        }

        private static long ticks(long pid) {
            String[] stat = stat(pid);
            return stat == null ? 0 : Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        }

        /** The fields of /proc/pid/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime. */
        private static String[] stat(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private static double seconds(Map<String, Long> before, Map<String, Long> after, String process) {
        return (after.get(process) - before.get(process)) / 1000.0;
    }

    private static void awaitVerified(String sandboxUrl, String phoneNumberId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                String numbers = send("GET", sandboxUrl + "/numbers", null);
                if (numbers.contains(phoneNumberId) && numbers.contains("VERIFIED")) {
                    return;
                }
            } catch (IOException e) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The sandbox did not verify the app's callback URL within 90 s");
    }

    private static String send(String method, String url, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (url.contains("/sandbox/api/")) {
            request.header("Authorization", "Bearer " + SANDBOX_CONTROL_TOKEN);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String uptime() {
        try {
            return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("No \"" + name + "\" in " + (json.length() > 200 ? json.substring(0, 200) + "…" : json));
        }
        return matcher.group(1);
    }

    private static long number(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?[0-9]+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static String decimal(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?[0-9.]+)").matcher(json);
        return matcher.find() ? String.format("%.1f", Double.parseDouble(matcher.group(1))) : "?";
    }

    private static String jsonObject(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        return at < 0 ? "" : json.substring(at, json.indexOf('}', at) + 1);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("Options come in pairs: " + Arrays.toString(args));
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
