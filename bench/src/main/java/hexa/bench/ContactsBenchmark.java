package hexa.bench;

import java.io.InputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contact list at a million contacts: seeds the demo workspace of a running Hexa CRM ({@code ./hexa run --demo})
 * with contacts as a CRM keeps them ({@link ContactsSeeder}), then measures over HTTP with the demo API token the
 * list in its three orders, search by name, number fragment and email, each filter, deep pages, the CSV export's
 * throughput and bulk actions on about 100,000 contacts. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench contacts --demo-json /tmp/bench-contacts/demo.json [--contacts 1000000] [--samples 100] [--bulk true]</pre>
 */
public final class ContactsBenchmark {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;
    /** Times requests and follows cursors as the inbox benchmark does. */
    private final InboxBenchmark client;

    private ContactsBenchmark(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.client = new InboxBenchmark(baseUrl, token);
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
        int contacts = Integer.parseInt(options.getOrDefault("--contacts", "1000000"));
        int samples = Integer.parseInt(options.getOrDefault("--samples", "100"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10"));
        String only = options.getOrDefault("--only", "");
        String jdbcUrl = options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile));
        StringBuilder report = new StringBuilder();
        StringBuilder seedLog = new StringBuilder();
        ContactsBenchmark bench = new ContactsBenchmark(baseUrl, token);

        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            long existing = InboxBenchmark.count(db, "select count(*) from contacts where tenant_id = ? and attributes ->> 'city' is not null", tenant);
            if (existing < contacts * 9L / 10) {
                System.out.printf("Seeding %,d contacts into workspace %s%n", contacts, tenant);
                long start = System.nanoTime();
                List<UUID> owners = members(db, tenant);
                ContactsSeeder.seed(db, tenant, contacts, owners, (what, began) -> {
                    String line = String.format("%-100s %8.1f s", what, (System.nanoTime() - began) / 1e9);
                    System.out.println(line);
                    seedLog.append("    ").append(line).append('\n');
                });
                String total = String.format("Seeding took %.1f min in all.", (System.nanoTime() - start) / 60e9);
                System.out.println(total);
                seedLog.append('\n').append(total).append('\n');
            } else {
                seedLog.append("(seeded by an earlier run)\n");
            }
            if (Boolean.parseBoolean(options.getOrDefault("--seed-only", "false"))) {
                return;
            }
            report.append(InboxBenchmark.header("Contacts", baseUrl, tenant, db, data(db, tenant), seedLog));

            List<InboxBenchmark.Case> cases = bench.cases(db, tenant);
            bench.client.latencies(report, cases, only, warmup, samples, "; pages of 50");

            if (Boolean.parseBoolean(options.getOrDefault("--export", "true")) && only.isEmpty()) {
                report.append("\n## Export (GET /api/v1/contacts/export, read to the end by the client)\n\n| Export | Rows | Bytes | Seconds | Rows/s |\n|---|---|---|---|---|\n");
                for (String[] export : new String[][] {{"Every contact", ""}, {"Tag vip", "tag=vip"}, {"City = Pune (about 10 %)", "attr=city:equals:Pune"}}) {
                    String row = bench.export(export[0], export[1]);
                    System.out.println(row);
                    report.append(row).append('\n');
                }
            }
            if (Boolean.parseBoolean(options.getOrDefault("--bulk", "true")) && only.isEmpty()) {
                report.append("\n## Bulk actions on everything a filter matches (POST /api/v1/contacts/bulk starts a job; GET its Location until done)\n\n")
                        .append("| Action | Filter | Matched | Changed | Kept | Start (202), s | Until done, s | Contacts/s |\n|---|---|---|---|---|---|---|---|\n");
                UUID owner = members(db, tenant).get(0);
                String pune = "\"attr=city:equals:Pune\"";
                List<String[]> actions = new ArrayList<>(List.of(
                        new String[] {"tag", pune, "{\"action\":\"tag\",\"tag\":\"bench-bulk\",\"filter\":" + pune + "}"},
                        new String[] {"untag", pune, "{\"action\":\"untag\",\"tag\":\"bench-bulk\",\"filter\":" + pune + "}"},
                        new String[] {"owner", pune, "{\"action\":\"owner\",\"ownerId\":\"" + owner + "\",\"filter\":" + pune + "}"},
                        new String[] {"owner (none)", pune, "{\"action\":\"owner\",\"ownerId\":null,\"filter\":" + pune + "}"}));
                if (Boolean.parseBoolean(options.getOrDefault("--bulk-delete", "false"))) {
                    String mumbai = "\"attr=city:equals:Mumbai\"";
                    actions.add(new String[] {"delete", mumbai, "{\"action\":\"delete\",\"filter\":" + mumbai + "}"});
                }
                for (String[] action : actions) {
                    long start = System.nanoTime();
                    HttpResponse<String> started = bench.send("POST", "/api/v1/contacts/bulk", action[2]);
                    if (started.statusCode() != 202) {
                        throw new IllegalStateException("POST /api/v1/contacts/bulk answered " + started.statusCode() + ": " + started.body());
                    }
                    double accepted = (System.nanoTime() - start) / 1e9;
                    String location = started.headers().firstValue("Location").orElseThrow();
                    String body = started.body();
                    while (!body.contains("\"status\":\"done\"")) {
                        if (body.contains("\"status\":\"failed\"")) {
                            throw new IllegalStateException("Bulk job failed: " + body);
                        }
                        Thread.sleep(200);
                        HttpResponse<String> polled = bench.send("GET", location, null);
                        if (polled.statusCode() != 200) {
                            throw new IllegalStateException("GET " + location + " answered " + polled.statusCode());
                        }
                        body = polled.body();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    String row = String.format("| %s | `%s` | %s | %s | %s | %.1f | %.1f | %,.0f |", action[0], action[1].replace("\"", ""),
                            number(body, "matched"), number(body, "changed"), number(body, "kept"), accepted, seconds,
                            Long.parseLong(number(body, "matched").replace(",", "")) / seconds);
                    System.out.println(row);
                    report.append(row).append('\n');
                }
            }
        }
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        Files.createDirectories(reports);
        Path file = reports.resolve("contacts-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.writeString(file, report.toString());
        System.out.println("Report written to " + file);
    }

    private List<InboxBenchmark.Case> cases(Connection db, UUID tenant) throws Exception {
        List<InboxBenchmark.Case> cases = new ArrayList<>();
        UUID owner = members(db, tenant).get(0);
        cases.add(new InboxBenchmark.Case("List: first page, by last activity", 100, i -> "/api/v1/contacts"));
        cases.add(new InboxBenchmark.Case("List: first page, by name", 100, i -> "/api/v1/contacts?sort=name"));
        cases.add(new InboxBenchmark.Case("List: first page, newest", 100, i -> "/api/v1/contacts?sort=created"));
        String deepActivity = client.deepCursor("/api/v1/contacts?limit=50", 40);
        cases.add(new InboxBenchmark.Case("List: page 41 by nextCursor, by last activity", 100, i -> "/api/v1/contacts?cursor=" + deepActivity));
        String deepName = client.deepCursor("/api/v1/contacts?limit=50&sort=name", 40);
        cases.add(new InboxBenchmark.Case("List: page 41 by nextCursor, by name", 100, i -> "/api/v1/contacts?sort=name&cursor=" + deepName));
        cases.add(search("Search: a first name (priya / rahul / fatima)", "priya", "rahul", "fatima"));
        cases.add(search("Search: a full name (kenji tanaka / maria silva / omar khan)", "kenji tanaka", "maria silva", "omar khan"));
        cases.add(search("Search: a rare surname (siddiqui / hernández / d'souza)", "siddiqui", "hernández", "d'souza"));
        cases.add(search("Search: number fragment (48213 / 730190 / 55531)", "48213", "730190", "55531"));
        cases.add(search("Search: whole number in other spellings (+91 60000 07919 / 060000 15838 / 91-6000023757)",
                "+91 60000 07919", "060000 15838", "91-6000023757"));
        cases.add(search("Search: email fragment (gmail.com / rediffmail / priya.sharma1)", "gmail.com", "rediffmail", "priya.sharma1"));
        cases.add(filter("Filter: tag vip (2 %)", "tag=vip"));
        cases.add(filter("Filter: tag escalated (0.01 %)", "tag=escalated"));
        cases.add(filter("Filter: tags customer and newsletter (all)", "tag=customer&tag=newsletter&tagMatch=all"));
        cases.add(filter("Filter: city = Pune (list attribute, 10 %)", "attr=city:equals:Pune"));
        cases.add(filter("Filter: plan contains \"enter\" (text attribute)", "attr=plan:contains:enter"));
        cases.add(filter("Filter: birthday before 1961-01-01 (date attribute, 2 %)", "attr=birthday:before:1961-01-01"));
        cases.add(filter("Filter: newsletter checked (checkbox attribute)", "attr=newsletter:checked"));
        cases.add(filter("Filter: owner = one member", "owner=" + owner));
        cases.add(filter("Filter: no owner", "owner=none"));
        cases.add(filter("Filter: consent opted out (5 %)", "consent=opted_out"));
        cases.add(filter("Filter: active within 2 days", "activeWithin=2"));
        cases.add(filter("Filter: active before 60 days ago", "activeBefore=" + java.time.LocalDate.now().minusDays(60)));
        cases.add(filter("Filter: blocked (0.2 %)", "blocked=true"));
        cases.add(filter("Filter: tag vip + opted in + city Pune, by name", "tag=vip&consent=opted_in&attr=city:equals:Pune&sort=name"));
        cases.add(filter("Filter + search: tag customer, \"sharma\"", "tag=customer&query=sharma"));
        return cases;
    }

    private static InboxBenchmark.Case search(String name, String... queries) {
        return new InboxBenchmark.Case(name, 300, i -> "/api/v1/contacts?query=" + URLEncoder.encode(queries[i % queries.length], StandardCharsets.UTF_8));
    }

    private static InboxBenchmark.Case filter(String name, String query) {
        return new InboxBenchmark.Case(name, 300, i -> "/api/v1/contacts?" + query);
    }

    private String export(String name, String query) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contacts/export?" + query))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Export answered " + response.statusCode());
        }
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("| %s | %,d | %,d | %.1f | %,.0f |", name, lines - 1, bytes, seconds, (lines - 1) / seconds);
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5));
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? String.format("%,d", Long.parseLong(m.group(1))) : "?";
    }

    /** The workspace's members, with the bench's agents the inbox benchmark also uses added when missing. */
    private static List<UUID> members(Connection db, UUID tenant) throws Exception {
        for (int i = 1; i <= InboxSeeder.BENCH_MEMBERS; i++) {
            UUID user = UUID.nameUUIDFromBytes(("bench-user-" + i).getBytes(StandardCharsets.UTF_8));
            InboxBenchmark.update(db, """
                    insert into users (id, email, name, password_hash, password_changed_at, created_at, updated_at)
                    values (?, ?, ?, 'not-a-password', now(), now(), now()) on conflict do nothing
                    """, user, "bench-agent-" + i + "@bench.example", "Bench Agent " + i);
            InboxBenchmark.update(db, "insert into memberships (tenant_id, user_id, role, active, created_at, updated_at) values (?, ?, 'AGENT', true, now(), now()) on conflict do nothing",
                    tenant, user);
        }
        return InboxBenchmark.uuids(db, "select user_id from memberships where tenant_id = ? and active order by created_at, user_id", tenant);
    }

    private static String data(Connection db, UUID tenant) throws Exception {
        StringBuilder out = new StringBuilder("| Table | This workspace | All workspaces | Size on disk (with indexes) |\n|---|---|---|---|\n");
        for (String table : List.of("contacts", "contact_tags")) {
            out.append(String.format("| %s | %,d | %,d | %s |%n", table, InboxBenchmark.count(db, "select count(*) from " + table + " where tenant_id = ?", tenant),
                    InboxBenchmark.count(db, "select count(*) from " + table, null),
                    InboxBenchmark.single(db, "select pg_size_pretty(pg_total_relation_size('" + table + "'))")));
        }
        out.append(String.format("%nIn this workspace: %s.%n", InboxBenchmark.single(db, """
                select count(*) filter (where email is not null) || ' with an email, ' || count(*) filter (where owner_id is not null) || ' owned, '
                       || count(*) filter (where marketing_consent = 'opted_in') || ' opted in, ' || count(*) filter (where marketing_consent = 'opted_out')
                       || ' opted out, ' || count(*) filter (where blocked_at is not null) || ' blocked, ' || count(*) filter (where last_activity_at is null)
                       || ' never active'
                  from contacts where tenant_id = '%s'""".formatted(tenant))));
        return out.toString();
    }
}
