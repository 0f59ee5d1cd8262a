package hexa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Erasing a person with a long history: seeds, by SQL into the demo workspace of a running Hexa CRM
 * ({@code ./hexa run --demo}), one contact with one conversation of 50,000 messages (half inbound, half outbound; every
 * outbound one with its three statuses, one in 100 with a file row, one in 50 with a reaction, every inbound one in its
 * raw webhook body), then erases them with {@code POST /api/v1/contacts/{id}/erasure} and measures the answer. The
 * files' blobs are deleted in the background after the answer, so they are not part of the figure. Runs several
 * times (a new person each run) and writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench erasure --demo-json data/demo.json [--messages 50000] [--runs 3]</pre>
 */
public final class ErasureBenchmark {

    private ErasureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = InboxBenchmark.options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json"));
        String demo = Files.readString(demoFile);
        String baseUrl = InboxBenchmark.field(demo, "url");
        String token = InboxBenchmark.field(demo, "apiToken");
        Matcher workspace = Pattern.compile("\"workspace\"\\s*:\\s*\\{[^}]*?\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(demo);
        if (!workspace.find()) {
            throw new IllegalArgumentException("demo.json has no workspace id (start the app with ./hexa run --demo)");
        }
        UUID tenant = UUID.fromString(workspace.group(1));
        int messages = Integer.parseInt(options.getOrDefault("--messages", "50000"));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
        String jdbcUrl = options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        StringBuilder report = new StringBuilder("# Erasure benchmark\n\n");
        report.append(String.format("- when: %s%n- machine: %d cores, %s %s; the app, PostgreSQL and this tool on the same machine%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch")));
        report.append(String.format("- each run: one contact with one conversation of %,d messages, %,d statuses, %,d file rows, %,d reactions,"
                + " %,d raw webhook bodies naming the number (seeded by SQL)%n", messages, (messages / 2) * 3, messages / 100, messages / 50, messages / 2));
        report.append("- measured: `POST /api/v1/contacts/{id}/erasure` from the request to the certificate (one transaction; blobs deleted after it)\n\n");
        report.append("| run | seeded (s) | erasure answered (s) | messages removed | rows removed in all | load average (1 min) |\n|---|---|---|---|---|---|\n");
        List<Double> times = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            UUID connection = uuid(db, "select id from whatsapp_connections where tenant_id = ? order by created_at limit 1", tenant);
            for (int run = 1; run <= runs; run++) {
                long seeding = System.nanoTime();
                UUID contact = seed(db, tenant, connection, messages, demoFile.toAbsolutePath().getParent().resolve("media"));
                double seeded = (System.nanoTime() - seeding) / 1e9;
                long start = System.nanoTime();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contacts/" + contact + "/erasure"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"benchmark\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - start) / 1e9;
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("Erasure refused: " + answer.statusCode() + " " + answer.body());
                }
                long removed = number(answer.body(), "messages");
                long all = 0;
                Matcher counts = Pattern.compile("\"[a-z_]+\"\\s*:\\s*([0-9]+)").matcher(answer.body().substring(answer.body().indexOf("\"removed\"")));
                while (counts.find()) {
                    all += Long.parseLong(counts.group(1));
                }
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                String line = String.format("| %d | %.1f | %.2f | %,d | %,d | %s |", run, seeded, seconds, removed, all, load);
                System.out.println(line);
                report.append(line).append('\n');
                times.add(seconds);
            }
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        report.append(String.format("%nMedian %.2f s, worst %.2f s (the goal: under 2 s).%n", sorted[sorted.length / 2], sorted[sorted.length - 1]));
        Path out = Path.of("bench", "reports", "erasure-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("Report: " + out);
    }

    /** One person with a long history; answers their contact id. */
    private static UUID seed(Connection db, UUID tenant, UUID connection, int messages, Path media) throws SQLException {
        UUID contact = UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String salt = Long.toString(System.nanoTime(), 36);
        String number = "49" + (1_500_000_000L + Math.floorMod(System.nanoTime(), 400_000_000L));
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            update(db, """
                    insert into contacts (tenant_id, id, name, profile_name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                    values (?, ?, 'Erasure Benchmark', 'Erasure Benchmark', ?, ?, now(), now(), now())
                    """, tenant, contact, "+" + number, number);
            update(db, """
                    insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at, last_inbound_at, last_outbound_at)
                    values (?, ?, ?, ?, 'OPEN', now() - interval '30 days', now(), now(), now())
                    """, tenant, conversation, contact, connection);
            update(db, """
                    insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at, connection_id)
                    select ?, gen_random_uuid(), ?, ?, case when n % 2 = 1 then 'INBOUND' else 'OUTBOUND' end, 'wamid.erasure.' || ? || '.' || n,
                           case when n % 100 = 0 then 'image' else 'text' end, 'Message ' || n || ' of a long history',
                           jsonb_build_object('from', ?::text, 'type', 'text', 'text', jsonb_build_object('body', 'Message ' || n)),
                           case when n % 2 = 1 then 'RECEIVED' else 'READ' end,
                           now() - make_interval(secs => (? - n) * 30), now() - make_interval(secs => (? - n) * 30), ?
                      from generate_series(1, ?) n
                    """, tenant, conversation, contact, salt, number, messages, messages, connection, messages);
            update(db, """
                    insert into message_status_events (tenant_id, wamid, status, occurred_at, recipient_id, received_at)
                    select ?, 'wamid.erasure.' || ? || '.' || n, s, now(), ?, now()
                      from generate_series(2, ?, 2) n, unnest(array['SENT', 'DELIVERED', 'READ']) s
                    """, tenant, salt, number, messages);
            update(db, """
                    insert into media_files (tenant_id, message_id, kind, media_id, mime_type, state, next_attempt_at, created_at, blob_key)
                    select tenant_id, id, 'image', 'media-' || wamid, 'image/jpeg', 'STORED', now(), now(), tenant_id || '/erasure-bench/' || id
                      from messages where tenant_id = ? and conversation_id = ? and type = 'image'
                    """, tenant, conversation);
            update(db, """
                    insert into message_reactions (tenant_id, target_wamid, reactor, emoji, wamid, reacted_at)
                    select ?, 'wamid.erasure.' || ? || '.' || n, ?, '👍', 'wamid.erasure.reaction.' || ? || '.' || n, now()
                      from generate_series(50, ?, 50) n
                    """, tenant, salt, number, salt, messages);
            update(db, """
                    insert into webhook_events (tenant_id, id, connection_id, received_at, body, processed_at, next_attempt_at)
                    select ?, gen_random_uuid(), ?, now(), '{"entry":[{"changes":[{"value":{"contacts":[{"wa_id":"' || ? || '"}],'
                           || '"messages":[{"from":"' || ? || '","id":"wamid.erasure.' || ? || '.' || n || '","type":"text"}]}}]}]}', now(), now()
                      from generate_series(1, ?, 2) n
                    """, tenant, connection, number, number, salt, messages);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
        try (var s = db.createStatement()) {
            s.execute("analyze messages");
        }
        // The files' blobs, on disk where the app keeps them, so that their deletion in the background is real.
        try (PreparedStatement ps = db.prepareStatement("select f.blob_key from media_files f join messages m on m.tenant_id = f.tenant_id"
                + " and m.id = f.message_id where f.tenant_id = ? and m.conversation_id = ?")) {
            ps.setObject(1, tenant);
            ps.setObject(2, conversation);
            try (ResultSet rs = ps.executeQuery()) {
                byte[] blob = new byte[10_000];
                while (rs.next()) {
                    Path file = media.resolve(rs.getString(1));
                    Files.createDirectories(file.getParent());
                    Files.write(file, blob);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return contact;
    }

    private static void update(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private static UUID uuid(Connection db, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Nothing for " + sql + " " + Arrays.toString(new Object[] {param}));
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9]+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
