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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A person's export at scale: seeds one contact of the demo workspace of a running Hexa CRM ({@code ./hexa run --demo})
 * with a conversation of 50,000 messages by SQL (texts both ways, delivery statuses on the business's, a reaction on
 * one in fifty, an edit on one in a hundred), then starts its export through {@code POST /api/v1/contacts/{id}/export},
 * follows the job until it is done, downloads the ZIP and checks that every message is in it. Each run seeds a new
 * contact. The promise: under 10 s from the request to a finished export. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench export [--demo-json data/demo.json] [--messages 50000] [--runs 3]</pre>
 */
public final class ExportBenchmark {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    private ExportBenchmark(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = InboxBenchmark.options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json"));
        String demo = Files.readString(demoFile);
        Matcher workspace = Pattern.compile("\"workspace\"\\s*:\\s*\\{[^}]*?\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(demo);
        if (!workspace.find()) {
            throw new IllegalArgumentException("demo.json has no workspace id (start the app with ./hexa run --demo)");
        }
        UUID tenant = UUID.fromString(workspace.group(1));
        int messages = Integer.parseInt(options.getOrDefault("--messages", "50000"));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
        ExportBenchmark bench = new ExportBenchmark(InboxBenchmark.field(demo, "url"), InboxBenchmark.field(demo, "apiToken"));
        StringBuilder report = new StringBuilder();
        try (Connection db = DriverManager.getConnection(options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile)), "postgres", "")) {
            StringBuilder seedLog = new StringBuilder("By SQL into the running app's database, one transaction per run (its time is in the table).\n");
            report.append(InboxBenchmark.header("Export of a person's data", bench.baseUrl, tenant, db,
                    String.format("One new contact per run with one conversation of %,d messages (half the customer's, half the business's with "
                            + "three statuses each), a reaction on one in fifty, an edit on one in a hundred.%n", messages), seedLog));
            report.append("\n## Runs\n\n| run | seeded in (s) | export done after (s) | ZIP (MB) | download (s) | messages in messages.json |\n|---|---|---|---|---|---|\n");
            for (int run = 1; run <= runs; run++) {
                long seedStart = System.nanoTime();
                UUID contact = seed(db, tenant, messages);
                double seeded = (System.nanoTime() - seedStart) / 1e9;
                String line = bench.exportOnce(run, contact, seeded, messages);
                System.out.println(line);
                report.append(line).append('\n');
            }
        }
        report.append("\nThe promise: under 10 s from the request to a finished export (the \"export done after\" column).\n");
        Path out = Path.of("bench", "reports", "export-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Report: " + out);
    }

    private String exportOnce(int run, UUID contact, double seeded, int messages) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contacts/" + contact + "/export"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("Export refused: " + started.statusCode() + " " + started.body());
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        String json;
        String status;
        do {
            Thread.sleep(50);
            json = http.send(HttpRequest.newBuilder(URI.create(baseUrl + location)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            status = InboxBenchmark.field(json, "status");
            if ((System.nanoTime() - start) / 1e9 > 300) {
                throw new IllegalStateException("Export still " + status + " after 5 minutes: " + json);
            }
        } while (!status.equals("done") && !status.equals("failed"));
        double done = (System.nanoTime() - start) / 1e9;
        if (status.equals("failed")) {
            throw new IllegalStateException("Export failed: " + json);
        }
        long downloadStart = System.nanoTime();
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(baseUrl + InboxBenchmark.field(json, "downloadUrl")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        double downloaded = (System.nanoTime() - downloadStart) / 1e9;
        long count = 0;
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("messages.json")) {
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    count = Pattern.compile("\"conversationId\"").matcher(text).results().count();
                }
            }
        }
        if (count != messages) {
            throw new IllegalStateException("messages.json holds " + count + " messages, not " + messages);
        }
        return String.format("| %d | %.1f | %.2f | %.1f | %.2f | %,d |", run, seeded, done, zip.body().length / 1e6, downloaded, count);
    }

    /** A new contact of the workspace with one conversation of {@code messages} messages; answers the contact's id. */
    private static UUID seed(Connection db, UUID tenant, int messages) throws Exception {
        UUID contact = UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String waId = "91" + (7_000_000_000L + Math.floorMod(contact.getLeastSignificantBits(), 999_999_999L));
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement("""
                insert into contacts (tenant_id, id, name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                values (?, ?, 'Export Bench ' || ?, '+' || ?, ?, now() - interval '30 days', now(), now())
                """)) {
            ps.setObject(1, tenant);
            ps.setObject(2, contact);
            ps.setString(3, waId);
            ps.setString(4, waId);
            ps.setString(5, waId);
            ps.executeUpdate();
        }
        UUID connection;
        try (PreparedStatement ps = db.prepareStatement("select id from whatsapp_connections where tenant_id = ? limit 1")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("The demo workspace has no WhatsApp number");
                }
                connection = rs.getObject(1, UUID.class);
            }
        }
        try (PreparedStatement ps = db.prepareStatement("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                values (?, ?, ?, ?, 'RESOLVED', now() - interval '30 days', now())
                """)) {
            ps.setObject(1, tenant);
            ps.setObject(2, conversation);
            ps.setObject(3, contact);
            ps.setObject(4, connection);
            ps.executeUpdate();
        }
        String key = conversation.toString();
        try (PreparedStatement ps = db.prepareStatement("""
                insert into messages (tenant_id, id, conversation_id, contact_id, direction, wamid, type, body, content, status, sent_at, created_at,
                                      edits, edited_at)
                select ?, md5(? || n)::uuid, ?, ?, case when n % 2 = 0 then 'INBOUND' else 'OUTBOUND' end, 'wamid.bench.' || ? || '.' || n, 'text',
                       'Message ' || n || ': is the blue kurta in size ' || (n % 5 + 36) || ' still there? <b>thanks</b>',
                       jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', 'Message ' || n)),
                       case when n % 2 = 0 then 'RECEIVED' else 'READ' end,
                       now() - interval '30 days' + n * interval '30 seconds', now() - interval '30 days' + n * interval '30 seconds',
                       case when n % 100 = 0 then jsonb_build_array(jsonb_build_object('body', 'Mesage ' || n, 'at', now())) end,
                       case when n % 100 = 0 then now() end
                  from generate_series(1, ?) n
                """)) {
            ps.setObject(1, tenant);
            ps.setString(2, key);
            ps.setObject(3, conversation);
            ps.setObject(4, contact);
            ps.setString(5, key);
            ps.setInt(6, messages);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("""
                insert into message_status_events (tenant_id, wamid, status, occurred_at, recipient_id, received_at)
                select ?, 'wamid.bench.' || ? || '.' || n, s, now(), ?, now()
                  from generate_series(1, ?) n, unnest(array['SENT', 'DELIVERED', 'READ']) s where n % 2 = 1
                """)) {
            ps.setObject(1, tenant);
            ps.setString(2, key);
            ps.setString(3, waId);
            ps.setInt(4, messages);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("""
                insert into message_reactions (tenant_id, target_wamid, reactor, emoji, wamid, reacted_at)
                select ?, 'wamid.bench.' || ? || '.' || n, ?, '👍', 'wamid.bench.r.' || ? || '.' || n, now()
                  from generate_series(1, ?) n where n % 50 = 1
                """)) {
            ps.setObject(1, tenant);
            ps.setString(2, key);
            ps.setString(3, waId);
            ps.setString(4, key);
            ps.setInt(5, messages);
            ps.executeUpdate();
        }
        db.commit();
        db.setAutoCommit(true);
        try (PreparedStatement ps = db.prepareStatement("analyze messages")) {
            ps.execute();
        }
        return contact;
    }
}
