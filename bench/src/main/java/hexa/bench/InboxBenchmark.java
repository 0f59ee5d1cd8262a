package hexa.bench;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inbox at scale: seeds the demo workspace of a running Hexa CRM ({@code ./hexa run --demo}) with a
 * million contacts and conversations and ten million messages (plus a few smaller workspaces beside
 * it), straight into the app's PostgreSQL, then measures the conversation list, opening a conversation
 * and search over HTTP with the demo API token. Writes a Markdown report to {@code bench/reports/}.
 *
 * <pre>./hexa bench inbox --demo-json /tmp/benchdata/demo.json [--contacts 1000000] [--messages 10000000] [--samples 200]</pre>
 *
 * The seeding runs once per workspace (a second run finds the data and only measures).
 */
public final class InboxBenchmark {

    private static final String DEMO_SALT = "d";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    InboxBenchmark(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json"));
        String demo = Files.readString(demoFile);
        String baseUrl = field(demo, "url");
        String token = field(demo, "apiToken");
        Matcher workspace = Pattern.compile("\"workspace\"\\s*:\\s*\\{[^}]*?\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(demo);
        if (!workspace.find()) {
            throw new IllegalArgumentException("demo.json has no workspace id (start the app with ./hexa run --demo)");
        }
        UUID tenant = UUID.fromString(workspace.group(1));
        int contacts = Integer.parseInt(options.getOrDefault("--contacts", "1000000"));
        long messages = Long.parseLong(options.getOrDefault("--messages", "10000000"));
        int others = Integer.parseInt(options.getOrDefault("--other-workspaces", "3"));
        int samples = Integer.parseInt(options.getOrDefault("--samples", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "20"));
        String jdbcUrl = options.getOrDefault("--jdbc", jdbcUrlOf(demoFile));
        StringBuilder report = new StringBuilder();
        StringBuilder seedLog = new StringBuilder();

        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            long existing = count(db, "select count(*) from conversations where tenant_id = ?", tenant);
            if (existing < 1000) {
                System.out.printf("Seeding %,d contacts and about %,d messages into workspace %s, and %d other workspaces%n", contacts, messages, tenant, others);
                long start = System.nanoTime();
                seed(db, tenant, contacts, messages, others, (what, began) -> {
                    String line = String.format("%-100s %8.1f s", what, (System.nanoTime() - began) / 1e9);
                    System.out.println(line);
                    seedLog.append("    ").append(line).append('\n');
                });
                String total = String.format("Seeding took %.1f min in all.", (System.nanoTime() - start) / 60e9);
                System.out.println(total);
                seedLog.append('\n').append(total).append('\n');
            } else {
                System.out.printf("Workspace %s already holds %,d conversations: measuring without seeding%n", tenant, existing);
                seedLog.append("(seeded by an earlier run)\n");
            }
            if (Boolean.parseBoolean(options.getOrDefault("--seed-only", "false"))) {
                System.out.println(dataSizes(db, tenant));
                return;
            }
            report.append(header("Inbox", baseUrl, tenant, db, dataSizes(db, tenant), seedLog));

            InboxBenchmark bench = new InboxBenchmark(baseUrl, token);
            List<Case> cases = bench.cases(db, tenant);
            bench.latencies(report, cases, options.getOrDefault("--only", ""), warmup, samples, "");
        }
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        Files.createDirectories(reports);
        Path file = reports.resolve("inbox-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.writeString(file, report.toString());
        System.out.println("Report written to " + file);
    }

    // ---------------------------------------------------------------- seeding

    private static void seed(Connection db, UUID tenant, int contacts, long messages, int others, InboxSeeder.Log log) throws SQLException {
        long start = System.nanoTime();
        UUID connection = uuid(db, "select id from whatsapp_connections where tenant_id = ? order by created_at limit 1", tenant);
        List<UUID> members = new ArrayList<>();
        members.addAll(uuids(db, "select user_id from memberships where tenant_id = ? order by created_at", tenant));
        List<UUID> benchUsers = new ArrayList<>();
        for (int i = 1; i <= InboxSeeder.BENCH_MEMBERS; i++) {
            UUID user = UUID.nameUUIDFromBytes(("bench-user-" + i).getBytes(StandardCharsets.UTF_8));
            update(db, """
                    insert into users (id, email, name, password_hash, password_changed_at, created_at, updated_at)
                    values (?, ?, ?, 'not-a-password', now(), now(), now()) on conflict do nothing
                    """, user, "bench-agent-" + i + "@bench.example", "Bench Agent " + i);
            benchUsers.add(user);
        }
        members.addAll(benchUsers);
        List<UUID> teams = staff(db, tenant, benchUsers);
        List<InboxSeeder.Target> targets = new ArrayList<>();
        targets.add(new InboxSeeder.Target(tenant, connection, DEMO_SALT, contacts, messages, new InboxSeeder.Staff(members, teams)));
        for (int w = 1; w <= others; w++) {
            UUID other = UUID.nameUUIDFromBytes(("bench-workspace-" + w).getBytes(StandardCharsets.UTF_8));
            update(db, "insert into workspaces (id, name, time_zone, default_country, created_at, updated_at) values (?, ?, 'Asia/Kolkata', 'IN', now(), now()) on conflict do nothing",
                    other, "Bench other " + w);
            UUID otherConnection = UUID.nameUUIDFromBytes(("bench-connection-" + w).getBytes(StandardCharsets.UTF_8));
            update(db, """
                    insert into whatsapp_connections (tenant_id, id, kind, app_id, app_secret_sealed, access_token_sealed, waba_id, phone_number_id,
                                                      display_phone_number, verified_name, graph_url, callback_key, verify_token_sealed, status,
                                                      created_at, updated_at)
                    select ?, ?, kind, app_id, app_secret_sealed, access_token_sealed, waba_id, phone_number_id || ?, display_phone_number,
                           verified_name, graph_url, callback_key || ?, verify_token_sealed, 'DISCONNECTED', now(), now()
                      from whatsapp_connections where tenant_id = ? and id = ?
                    on conflict do nothing
                    """, other, otherConnection, "-bench" + w, "-bench" + w, tenant, connection);
            // Other workspaces are a tenth of the size; their members are the bench users only.
            targets.add(new InboxSeeder.Target(other, otherConnection, "o" + w, Math.max(1, contacts / 10), Math.max(1, messages / 10),
                    new InboxSeeder.Staff(benchUsers, staff(db, other, benchUsers))));
        }
        log.step("Members, teams and " + others + " other workspaces", start);
        InboxSeeder.seed(db, targets, log);
    }

    /** Three teams in the workspace with the bench users spread over them, and the users members (agents). */
    private static List<UUID> staff(Connection db, UUID tenant, List<UUID> users) throws SQLException {
        List<UUID> teams = new ArrayList<>();
        String[] names = {"Sales", "Support", "Wholesale"};
        for (String name : names) {
            UUID team = UUID.nameUUIDFromBytes((tenant + "-team-" + name).getBytes(StandardCharsets.UTF_8));
            update(db, "insert into teams (tenant_id, id, name, created_at) values (?, ?, ?, now()) on conflict do nothing", tenant, team, "Bench " + name);
            teams.add(team);
        }
        for (int i = 0; i < users.size(); i++) {
            update(db, "insert into memberships (tenant_id, user_id, role, active, created_at, updated_at) values (?, ?, 'AGENT', true, now(), now()) on conflict do nothing",
                    tenant, users.get(i));
            update(db, "insert into team_members (tenant_id, team_id, user_id) values (?, ?, ?) on conflict do nothing", tenant, teams.get(i % teams.size()), users.get(i));
        }
        return teams;
    }

    // ---------------------------------------------------------------- measuring

    /** A request to time: {@code url(i)} answers the i-th request's path, so a case may rotate over ids or words. */
    record Case(String name, int targetMillis, IntFunction<String> url) {
    }

    private List<Case> cases(Connection db, UUID tenant) throws Exception {
        List<Case> cases = new ArrayList<>();
        UUID agent = uuid(db, "select m.user_id from memberships m join users u on u.id = m.user_id where m.tenant_id = ? and m.role = 'AGENT' order by u.email limit 1", tenant);
        cases.add(new Case("List: all, open (default sort)", 50, i -> "/api/v1/conversations?view=all&status=open"));
        cases.add(new Case("List: all, resolved", 50, i -> "/api/v1/conversations?view=all&status=resolved"));
        cases.add(new Case("List: all, pending", 50, i -> "/api/v1/conversations?view=all&status=pending"));
        cases.add(new Case("List: unassigned, open", 50, i -> "/api/v1/conversations?view=unassigned&status=open"));
        cases.add(new Case("List: assignee = one agent, open", 50, i -> "/api/v1/conversations?view=all&status=open&assignee=" + agent));
        cases.add(new Case("List: tag vip (2 %), open", 50, i -> "/api/v1/conversations?view=all&status=open&tag=vip"));
        cases.add(new Case("List: tag escalated-legal (0.01 %), open", 50, i -> "/api/v1/conversations?view=all&status=open&tag=escalated-legal"));
        cases.add(new Case("List: sort=waiting, open", 50, i -> "/api/v1/conversations?view=all&status=open&sort=waiting"));
        String deep = deepCursor("/api/v1/conversations?view=all&status=resolved", 40);
        cases.add(new Case("List: resolved, page 41 by nextCursor", 50, i -> "/api/v1/conversations?view=all&status=resolved&cursor=" + deep));

        long conversations = count(db, "select count(*) from conversations where tenant_id = ?", tenant);
        // Ordinary conversations (1-18 messages) from the middle of the workspace; the long ones are the first numbers.
        List<UUID> shortOnes = uuids(db, "select md5('" + DEMO_SALT + "v' || n)::uuid from generate_series(?::int, ?::int) n",
                conversations / 2, conversations / 2 + 199);
        List<UUID> longOnes = uuids(db, """
                select conversation_id from messages where tenant_id = ? and conversation_id in
                  (select md5('%s' || 'v' || n)::uuid from generate_series(1, 20) n) group by conversation_id having count(*) >= 1000
                """.formatted(DEMO_SALT), tenant);
        if (longOnes.isEmpty()) {
            longOnes = shortOnes;
        }
        List<UUID> longs = longOnes;
        cases.add(new Case("Open: GET conversation (200 different short ones)", 50, i -> "/api/v1/conversations/" + shortOnes.get(i % shortOnes.size())));
        cases.add(new Case("Open: GET its messages (short, ≤ 18 messages)", 50, i -> "/api/v1/conversations/" + shortOnes.get(i % shortOnes.size()) + "/messages"));
        cases.add(new Case("Open: GET conversation (" + longs.size() + " with 5,000 messages)", 50, i -> "/api/v1/conversations/" + longs.get(i % longs.size())));
        cases.add(new Case("Open: GET its messages, first page (5,000 messages)", 50, i -> "/api/v1/conversations/" + longs.get(i % longs.size()) + "/messages"));
        UUID middle = uuid(db, "select id from messages where tenant_id = ? and conversation_id = ? order by sent_at, id offset 2500 limit 1", tenant, longs.get(0));
        cases.add(new Case("Open: GET messages after message 2,500 (cursor)", 50, i -> "/api/v1/conversations/" + longs.get(0) + "/messages?cursor=" + middle));

        cases.add(searchCase("Search: common word (hello / thanks / please)", i -> new String[] {"hello", "thanks", "please"}[i % 3]));
        cases.add(searchCase("Search: two common words (order delivery)", i -> "order delivery"));
        cases.add(searchCase("Search: mid-frequency word (warranty / gracias / धन्यवाद)", i -> new String[] {"warranty", "gracias", "धन्यवाद"}[i % 3]));
        // Each word of these pairs is in about 2 % of messages, both together in 0.1-0.2 %: mid-frequency whatever the
        // seeding's random bodies made of the single words above (in one seeding all three were in the newest messages).
        cases.add(searchCase("Search: two less common words together, 0.1-0.2 % (subscription courier / rating fragile / courier complaint)",
                i -> new String[] {"subscription courier", "rating fragile", "courier complaint"}[i % 3]));
        cases.add(searchCase("Search: rare word (zanzibar / quetzal / saffron)", i -> new String[] {"zanzibar", "quetzal", "saffron"}[i % 3]));
        cases.add(searchCase("Search: prefix (deliv / pay / sub)", i -> new String[] {"deliv", "pay", "sub"}[i % 3]));
        cases.add(searchCase("Search: number fragment (4821 / 73019 / 555)", i -> new String[] {"4821", "73019", "5553"}[i % 3]));
        cases.add(searchCase("Search: a name (priya / fernandes / kenji tanaka)", i -> new String[] {"priya", "fernandes", "kenji tanaka"}[i % 3]));
        return cases;
    }

    private static Case searchCase(String name, IntFunction<String> words) {
        return new Case(name, 300, i -> "/api/v1/search?q=" + URLEncoder.encode(words.apply(i), StandardCharsets.UTF_8));
    }

    String deepCursor(String path, int pages) throws Exception {
        String cursor = null;
        for (int page = 0; page < pages; page++) {
            String body = get(path + (cursor == null ? "" : "&cursor=" + cursor));
            Matcher next = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            if (!next.find()) {
                break;
            }
            cursor = next.group(1);
        }
        return cursor == null ? "" : cursor;
    }

    /** Timed samples in µs, sorted; a request that takes longer than {@link #TIMEOUT} ends the case (the row says so). */
    long[] measure(Case c, int warmup, int samples) throws Exception {
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
            if (!timedGet(c.url().apply(i))) {
                return new long[] {-1};
            }
        }
        List<Long> micros = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int i = 0; i < samples && System.nanoTime() < deadline; i++) {
            long start = System.nanoTime();
            if (!timedGet(c.url().apply(warmup + i))) {
                return new long[] {-1};
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        return micros.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private boolean timedGet(String path) throws Exception {
        try {
            get(path);
            return true;
        } catch (java.net.http.HttpTimeoutException e) {
            return false;
        }
    }

    String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    // ---------------------------------------------------------------- helpers

    static String dataSizes(Connection db, UUID tenant) throws SQLException {
        StringBuilder out = new StringBuilder("| Table | This workspace | All workspaces | Size on disk (with indexes) |\n|---|---|---|---|\n");
        for (String table : List.of("contacts", "conversations", "conversation_tags", "messages")) {
            out.append(String.format("| %s | %,d | %,d | %s |%n", table, count(db, "select count(*) from " + table + " where tenant_id = ?", tenant),
                    count(db, "select count(*) from " + table, null), single(db, "select pg_size_pretty(pg_total_relation_size('" + table + "'))")));
        }
        out.append(String.format("%nConversations by status in this workspace: %s. Messages per conversation: %s.%n",
                single(db, "select string_agg(status || ' ' || n, ', ' order by status) from (select status, count(*) n from conversations where tenant_id = '" + tenant + "' group by status) s"),
                single(db, "select 'max ' || max(n) || ', ' || count(*) filter (where n >= 1000) || ' conversations with ≥ 1,000, median ' || percentile_disc(0.5) within group (order by n)"
                        + " from (select count(*) n from messages where tenant_id = '" + tenant + "' group by conversation_id) s")));
        out.append(String.format("Workspaces in the database: %d.%n", count(db, "select count(*) from workspaces", null)));
        return out.toString();
    }

    /** The top of a report: what was measured against, on what machine and data, and how the data were seeded. */
    static String header(String what, String baseUrl, UUID tenant, Connection db, String data, CharSequence seedLog) throws SQLException {
        return String.format("""
                # %s benchmark, %s

                Against %s (workspace %s), Java %s, %d cores. PostgreSQL: %s.
                Load average before measuring: %s

                ## Data
                %s
                ## Seeding
                %s
                """, what, LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), baseUrl, tenant, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), single(db, "select version()"), loadAverage(), data, seedLog);
    }

    /**
     * Measures each case whose name starts with {@code only} and appends the latency table: percentiles against the
     * case's target p95, one row per case, also printed as it is measured.
     */
    void latencies(StringBuilder report, List<Case> cases, String only, int warmup, int samples, String note) throws Exception {
        report.append("\n## Latency over HTTP (").append(warmup).append(" warm-up requests, then up to ").append(samples)
                .append(" samples each, one client, sequential").append(note).append(")\n\n")
                .append("| Request | Samples | p50 | p95 | p99 | max | Target p95 | Met |\n|---|---|---|---|---|---|---|---|\n");
        for (Case c : cases) {
            if (!c.name().toLowerCase(java.util.Locale.ROOT).startsWith(only)) {
                continue;
            }
            long[] micros = measure(c, warmup, samples);
            String row = micros.length == 1 && micros[0] < 0
                    ? String.format("| %s | — | timed out: a request took longer than %d s | | | | %d ms | **no** |", c.name(), TIMEOUT.toSeconds(),
                            c.targetMillis())
                    : String.format("| %s | %d | %.1f | %.1f | %.1f | %.1f | %d ms | %s |", c.name(), micros.length, ms(micros, 50), ms(micros, 95),
                            ms(micros, 99), ms(micros, 100), c.targetMillis(), ms(micros, 95) <= c.targetMillis() ? "yes" : "**no**");
            System.out.println(row);
            report.append(row).append('\n');
        }
        report.append("\nTimes in ms. Load average after measuring: ").append(loadAverage()).append('\n');
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static double ms(long[] sortedMicros, int percent) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, index))] / 1000.0;
    }

    /**
     * The embedded PostgreSQL of {@code ./hexa run --data DIR} listens on the port in DIR/pg/postmaster.pid and lets
     * in who has the password in DIR/pg.password (the URL carries it, and wins over any password given beside it).
     */
    static String jdbcUrlOf(Path demoFile) throws Exception {
        Path dataDir = demoFile.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(dataDir.resolve("pg/postmaster.pid"));
        return "jdbc:postgresql://127.0.0.1:" + lines.get(3).strip() + "/postgres?user=postgres&password="
                + Files.readString(dataDir.resolve("pg.password")).strip();
    }

    static long count(Connection db, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String single(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static UUID uuid(Connection db, String sql, Object... params) throws SQLException {
        List<UUID> all = uuids(db, sql, params);
        if (all.isEmpty()) {
            throw new IllegalStateException("Nothing found: " + sql);
        }
        return all.get(0);
    }

    static List<UUID> uuids(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            int i = 1;
            for (Object p : params == null ? new Object[0] : params) {
                if (p instanceof Long number) {
                    ps.setLong(i++, number);
                } else if (p != null) {
                    ps.setObject(i++, p);
                }
            }
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add((UUID) rs.getObject(1));
                }
            }
            return out;
        }
    }

    static void update(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("demo.json has no \"" + name + "\" (start the app with ./hexa run --demo)");
        }
        return matcher.group(1);
    }

    static Map<String, String> options(String[] args) {
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
