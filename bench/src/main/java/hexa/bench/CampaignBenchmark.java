package hexa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import hexa.bench.BenchProcesses.Answer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A campaign at a number's full rate, as issue 17 asks: the bench starts the standalone sandbox (Meta, with its default
 * Graph latency of 150 ms ± 10) and the app (its own data directory, {@code --hexa.demo=true}, Meta's Graph API pointed
 * at the sandbox), connects {@code --numbers} sandbox numbers to the demo workspace through the API at a {@code --tier}
 * messages/s throughput tier (sandbox control API and the connection), has a marketing template approved, seeds
 * {@code --contacts} opted-in contacts with one tag (one set-based statement), and sends them one campaign through
 * {@code POST /api/v1/campaigns} + {@code /schedule} (now), over all the numbers. A customer who wrote before (their
 * service window is open) gets an agent's reply through {@code POST /api/v1/messages} when half the campaign is out.
 *
 * <pre>./hexa bench campaign [--contacts 100000] [--tier 1000] [--numbers 1] [--kill] [--kill-at 0.5] [--all] [--dry-run]</pre>
 *
 * <p>{@code --kill}: when {@code --kill-at} of the recipients are out, the app is killed with SIGKILL and started again,
 * and the campaign must go on by itself. {@code --all}: the three runs the issue names, one after the other in the same
 * app (plain; {@code --kill}; {@code --numbers 4 --tier 250}). {@code --dry-run}: everything but the campaign (the
 * processes, the numbers, the template, the seeding, the agent's reply with no campaign running); a run whose
 * {@code POST /api/v1/campaigns} answers 404 falls back to it.
 *
 * <p>Measured at the sandbox (what Meta received, its counters): sends accepted per second over all the campaign's
 * numbers, 130429 refusals, the same recipient sent the campaign's template twice (from any number), recipients never
 * sent to (the campaign's recipients not excluded, less the distinct recipients the sandbox accepted), and the agent's
 * reply from the API's answer (queued) to the sandbox's acceptance. Writes {@code bench/reports/campaign-<id>.md}.
 */
public final class CampaignBenchmark {

    private static final String WABA_ID = "109000000000001";
    private static final String APP_SECRET = "bench-secret-" + UUID.randomUUID();

    private final Map<String, String> options;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final StringBuilder report = new StringBuilder();
    private BenchProcesses.Sandbox sandbox;
    private BenchProcesses.App app;
    private final List<String> numbers = new ArrayList<>();
    private final Map<String, UUID> connections = new LinkedHashMap<>();
    private String probeCustomer;

    private CampaignBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new CampaignBenchmark(options(args)).run();
    }

    /** {@code --name value} pairs; a flag alone ({@code --kill}) is {@code true}. */
    static Map<String, String> options(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Options start with --: " + args[i]);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            out.put(args[i], flag ? "true" : args[++i]);
        }
        return out;
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private boolean flag(String name) {
        return Boolean.parseBoolean(option(name, "false"));
    }

    /** One campaign run: how many contacts, at which tier over how many numbers, with or without a kill. */
    record Scenario(String name, int contacts, int tier, int numbers, boolean kill, double killAt) {
    }

    private void run() throws Exception {
        int contacts = Integer.parseInt(option("--contacts", "100000"));
        double killAt = Double.parseDouble(option("--kill-at", "0.5"));
        List<Scenario> scenarios = new ArrayList<>();
        if (flag("--all")) {
            scenarios.add(new Scenario("one number at 1,000/s", contacts, 1000, 1, false, killAt));
            scenarios.add(new Scenario("kill -9 of the app at " + Math.round(killAt * 100) + " %", contacts, 1000, 1, true, killAt));
            scenarios.add(new Scenario("four numbers at 250/s", contacts, 250, 4, false, killAt));
        } else {
            int tier = Integer.parseInt(option("--tier", "1000"));
            int count = Integer.parseInt(option("--numbers", "1"));
            boolean kill = flag("--kill");
            scenarios.add(new Scenario(count + " number(s) at " + tier + "/s" + (kill ? ", kill -9 at " + Math.round(killAt * 100) + " %" : ""),
                    contacts, tier, count, kill, killAt));
        }
        int needed = scenarios.stream().mapToInt(Scenario::numbers).max().orElse(1);
        boolean dryRun = flag("--dry-run");
        Path reports = Path.of(option("--reports", "bench/reports"));
        Path dataDir = Path.of(option("--data", System.getProperty("java.io.tmpdir") + "/hexa-bench-campaign-" + runId)).toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path sandboxLog = tmp.resolve("hexa-bench-campaign-sandbox-" + runId + ".log");
        Path appLog = tmp.resolve("hexa-bench-campaign-app-" + runId + ".log");
        int sandboxPort = Integer.parseInt(option("--sandbox-port", "18490"));
        try {
            long t = System.nanoTime();
            sandbox = new BenchProcesses.Sandbox(Path.of(option("--sandbox-jar", "sandbox/target/hexa-sandbox-standalone.jar")),
                    option("--sandbox-jvm", "-XX:+UseSerialGC -Xmx2g"), sandboxPort, "bench_" + UUID.randomUUID().toString().replace("-", ""),
                    sandboxLog);
            double sandboxSeconds = seconds(t);
            JsonNode switches = sandbox.control("GET", "/switches", null).expect(200).json();
            app = new BenchProcesses.App(Path.of(option("--app-jar", "app/target/hexa-app.jar")), option("--app-jvm", ""),
                    Integer.parseInt(option("--port", "18480")), dataDir, sandbox.url, appLog);
            double appSeconds = app.start(Duration.ofSeconds(Long.parseLong(option("--start-timeout", "300"))));
            log("App started in %.1f s (data %s, log %s)", appSeconds, dataDir, appLog);
            t = System.nanoTime();
            connectNumbers(needed);
            double connectSeconds = seconds(t);
            t = System.nanoTime();
            String template = approvedTemplate();
            double templateSeconds = seconds(t);
            t = System.nanoTime();
            probeCustomer = "918" + String.format("%09d", Math.floorMod(runId.hashCode(), 1_000_000_000));
            openProbeWindow();
            double probeSeconds = seconds(t);

            try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
                report.append(InboxBenchmark.header("Campaign", app.url(), app.workspace(), db, InboxBenchmark.dataSizes(db, app.workspace()),
                        String.format(Locale.ROOT, "Run %s. Standalone sandbox up in %.1f s (`%s`, Graph latency %s ms ± %s), the app in %.1f s "
                                        + "(`%s`), %d number(s) connected through the API and verified in %.1f s, template `%s` approved in %.1f s, "
                                        + "the reply's customer wrote (window open) in %.1f s.%n", runId, sandboxSeconds, sandboxLog,
                                switches.path("graphLatencyMs").asString(), switches.path("graphLatencyJitterMs").asString(), appSeconds, appLog,
                                needed, connectSeconds, template, templateSeconds, probeSeconds)));
            }
            report.append(String.format(Locale.ROOT, "%nSandbox switches: `%s`%n", switches));

            boolean campaignsApi = campaignsApiPresent();
            if (dryRun || !campaignsApi) {
                dryRun(contacts, template, campaignsApi);
            } else {
                for (Scenario scenario : scenarios) {
                    runScenario(scenario, template);
                }
            }
        } catch (Exception | Error e) {
            report.append("\n## Stopped by an error\n\n```\n").append(e).append("\n```\nApp log: `").append(appLog).append("`, sandbox log: `")
                    .append(sandboxLog).append("`.\n");
            throw e;
        } finally {
            Files.createDirectories(reports);
            Path file = reports.resolve("campaign-" + runId + ".md");
            Files.writeString(file, report);
            System.out.println(report);
            System.out.println("Report: " + file);
            if (!flag("--keep")) {
                if (app != null) {
                    app.stop();
                }
                if (sandbox != null) {
                    sandbox.stop();
                }
            }
        }
    }

    // ------------------------------------------------------------------ setup

    /**
     * Registers the numbers in the sandbox (one WABA, as a business portfolio's numbers), connects each to the demo
     * workspace through {@code POST /api/v1/whatsapp/connections}, points the sandbox number's webhooks at the callback
     * URL the app answered, and waits until the app answered the webhook handshake.
     */
    private void connectNumbers(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String phoneNumberId = "10900000000" + (1001 + i);
            String token = "EAAbench" + UUID.randomUUID().toString().replace("-", "");
            ObjectNode number = BenchProcesses.JSON.createObjectNode().put("phoneNumberId", phoneNumberId).put("wabaId", WABA_ID)
                    .put("displayPhoneNumber", "1555099" + (1001 + i)).put("accessToken", token).put("appSecret", APP_SECRET)
                    .put("messagesPerSecond", 80);
            sandbox.control("POST", "/numbers", number.toString()).expect(201);
            JsonNode connection = app.api("POST", "/api/v1/whatsapp/connections", BenchProcesses.JSON.createObjectNode()
                    .put("appId", "bench-app").put("appSecret", APP_SECRET).put("accessToken", token).put("wabaId", WABA_ID)
                    .put("phoneNumberId", phoneNumberId).toString()).expect(201).json();
            number.put("callbackUrl", connection.path("callbackUrl").asString()).put("verifyToken", connection.path("verifyToken").asString());
            sandbox.control("POST", "/numbers", number.toString()).expect(201);
            numbers.add(phoneNumberId);
            connections.put(phoneNumberId, UUID.fromString(connection.path("id").asString()));
        }
        await("the webhook handshake of every number", Duration.ofSeconds(60), () -> {
            JsonNode all = sandbox.control("GET", "/numbers", null).json();
            long verified = 0;
            for (JsonNode n : all) {
                if (numbers.contains(n.path("phoneNumberId").asString()) && "VERIFIED".equals(n.path("webhookVerification").asString())) {
                    verified++;
                }
            }
            return verified == numbers.size();
        });
    }

    /** A marketing template with the contact's name, created through the app's API and approved by the sandbox's review. */
    private String approvedTemplate() throws Exception {
        String name = "bench_sale_" + runId;
        JsonNode created = app.api("POST", "/api/v1/templates", BenchProcesses.JSON.createObjectNode().put("wabaId", WABA_ID).put("name", name)
                .put("language", "en_US").put("category", "MARKETING")
                .put("body", "Hi {{1}}, our winter sale starts today: 20% off everything in the shop.")
                .put("footer", "Reply STOP to opt out").set("examples", BenchProcesses.JSON.createObjectNode().put("1", "Asha")).toString())
                .expect(201).json();
        String id = created.path("id").asString();
        await("the template's approval", Duration.ofSeconds(60),
                () -> "APPROVED".equals(app.api("GET", "/api/v1/templates/" + id, null).json().path("status").asString()));
        return name;
    }

    /** The customer of the agent's reply writes first, on the first number: their service window is open. */
    private void openProbeWindow() throws Exception {
        sandbox.control("POST", "/customers/" + probeCustomer + "/messages", BenchProcesses.JSON.createObjectNode()
                .put("phoneNumberId", numbers.get(0)).put("type", "text").put("profileName", "Probe Customer")
                .set("text", BenchProcesses.JSON.createObjectNode().put("body", "Where is my order?")).toString()).expect(201);
        try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
            await("the customer's message stored", Duration.ofSeconds(60),
                    () -> count(db, "select count(*) from contacts where tenant_id = ? and wa_id = ?", app.workspace(), probeCustomer) > 0);
        }
    }

    /**
     * {@code contacts} opted-in contacts with a name, an Indian mobile number and the run's tag, in one statement each
     * (contacts, tags); the tag is the campaign's audience. Answers the tag.
     */
    private String seed(int contacts, String label) throws Exception {
        String tag = "bench-" + runId + "-" + label;
        // Distinct numbers per run and scenario: 91 9X NNNNNNNN.
        String prefix = "919" + Math.floorMod((runId + label).hashCode(), 10);
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
            db.setAutoCommit(false);
            try (var s = db.createStatement()) {
                s.execute("set local synchronous_commit = off");
            }
            InboxBenchmark.update(db, """
                    insert into contacts (tenant_id, id, name, phone_e164, wa_id, marketing_consent, marketing_consent_source, marketing_consent_at,
                                          created_at, updated_at, last_activity_at)
                    select ?, md5(? || n)::uuid, 'Bench Customer ' || n, '+' || ? || lpad(n::text, 8, '0'), ? || lpad(n::text, 8, '0'),
                           'opted_in', 'import', now(), now(), now(), null
                      from generate_series(1, ?) n
                    on conflict do nothing
                    """, app.workspace(), tag, prefix, prefix, contacts);
            InboxBenchmark.update(db, """
                    insert into contact_tags (tenant_id, contact_id, tag, created_at)
                    select ?, md5(? || n)::uuid, ?, now() from generate_series(1, ?) n
                    on conflict do nothing
                    """, app.workspace(), tag, tag, contacts);
            db.commit();
            db.setAutoCommit(true);
            try (var s = db.createStatement()) {
                s.execute("analyze contacts");
                s.execute("analyze contact_tags");
            }
        }
        log("Seeded %,d contacts tagged %s in %.1f s", contacts, tag, seconds(started));
        report.append(String.format(Locale.ROOT, "%n%,d opted-in contacts tagged `%s` seeded in %.1f s (two statements and ANALYZE).%n",
                contacts, tag, seconds(started)));
        return tag;
    }

    /** Sets a number's tier on both sides: Meta's (the sandbox refuses beyond it with 130429) and the connection's. */
    private void setTier(List<String> using, int tier) throws Exception {
        try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
            for (String phoneNumberId : using) {
                sandbox.control("PATCH", "/numbers/" + phoneNumberId, "{\"messagesPerSecond\": " + tier + ", \"messagingLimit\": 0}").expect(200);
                InboxBenchmark.update(db, "update whatsapp_connections set messages_per_second = ?, messaging_limit = null, bulk_paused_until = null"
                        + " where tenant_id = ? and id = ?", tier, app.workspace(), connections.get(phoneNumberId));
            }
        }
    }

    private boolean campaignsApiPresent() {
        int status = app.api("GET", "/api/v1/campaigns", null).status();
        return status != 404 && status != 405;
    }

    // ------------------------------------------------------------------ runs

    private void dryRun(int contacts, String template, boolean campaignsApi) throws Exception {
        report.append("\n## Dry run\n\n").append(campaignsApi ? "Asked for with `--dry-run`."
                : "`GET /api/v1/campaigns` answered 404: the campaigns engine is not in this build, so no campaign was sent.").append('\n');
        String tag = seed(contacts, "dry");
        try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
            report.append(String.format(Locale.ROOT, "The audience (tag `%s`, opted in, not blocked): %,d contacts.%n", tag,
                    count(db, "select count(*) from contacts c join contact_tags t on t.tenant_id = c.tenant_id and t.contact_id = c.id"
                            + " where c.tenant_id = ? and t.tag = ? and c.marketing_consent = 'opted_in' and c.blocked_at is null", app.workspace(), tag)));
        }
        setTier(numbers, Integer.parseInt(option("--tier", "1000")));
        sandbox.control("DELETE", "/stats", null).expect(200);
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Reply reply = agentReply();
            replies.add(reply.toString());
        }
        report.append("\n| Agent's reply, no campaign running | API call → accepted at the sandbox | queued (API's answer) → accepted |\n|---|---|---|\n");
        for (int i = 0; i < replies.size(); i++) {
            report.append("| ").append(i + 1).append(" | ").append(replies.get(i)).append(" |\n");
        }
        report.append("\nBoth times end at the sandbox's acceptance (its clock is this machine's). A negative \"queued → accepted\" means the"
                + " sender had the reply accepted before the API's 202 reached the bench.\n");
        report.append(String.format(Locale.ROOT, "%nThe body the campaign would be created with (`POST /api/v1/campaigns`):%n%n```json%n%s%n```%n",
                campaignRequest("Bench dry run", template, tag, numbers).toPrettyString()));
        report.append("""

                Not run: the campaign itself (sustained rate, 130429, duplicates, forgotten recipients, the reply during it, the kill -9
                and the four numbers), which need `POST /api/v1/campaigns` and the dispatcher.
                """);
    }

    private void runScenario(Scenario scenario, String template) throws Exception {
        report.append("\n## ").append(scenario.name()).append("\n");
        log("Scenario: %s", scenario.name());
        List<String> using = numbers.subList(0, scenario.numbers());
        setTier(using, scenario.tier());
        String tag = seed(scenario.contacts(), scenario.kill() ? "kill" : scenario.numbers() + "x" + scenario.tier());
        // Each scenario counts its own sends: the template's counters are reset with the others.
        sandbox.control("DELETE", "/stats", null).expect(200);
        int target = scenario.tier() * scenario.numbers();

        Answer created = app.api("POST", "/api/v1/campaigns", campaignRequest("Bench " + scenario.name(), template, tag, using).toString());
        if (created.status() != 201) {
            report.append("`POST /api/v1/campaigns` answered ").append(created.status()).append(": `").append(created.body()).append("`\n");
            return;
        }
        String campaign = created.json().path("id").asString();
        long scheduledAt = System.currentTimeMillis();
        Answer scheduled = app.api("POST", "/api/v1/campaigns/" + campaign + "/schedule", null);
        if (scheduled.status() != 200) {
            report.append("`POST /api/v1/campaigns/").append(campaign).append("/schedule` answered ").append(scheduled.status()).append(": `")
                    .append(scheduled.body()).append("`\n");
            return;
        }
        long timeout = Long.parseLong(option("--timeout", "900"));
        JsonNode funnel = null;
        String status = scheduled.json().path("status").asString();
        Reply reply = null;
        String killed = "-";
        long lastProgress = System.nanoTime();
        long lastAccepted = -1;
        long eligible = -1;
        while (true) {
            if (System.currentTimeMillis() - scheduledAt > timeout * 1000) {
                status = "still " + status + " after " + timeout + " s";
                break;
            }
            Thread.sleep(1000);
            long accepted = templateCounter(template, "accepted");
            if (accepted != lastAccepted) {
                lastAccepted = accepted;
                lastProgress = System.nanoTime();
            }
            Answer state = app.api("GET", "/api/v1/campaigns/" + campaign, null);
            if (state.status() == 200) {
                status = state.json().path("status").asString();
                funnel = state.json().path("funnel");
                long recipients = funnel.path("recipients").asLong(-1);
                if (recipients >= 0) {
                    eligible = recipients - sum(funnel.path("excluded"));
                }
            }
            System.out.printf("%s: %,d accepted at the sandbox, campaign %s%n", scenario.name(), accepted, status);
            // Until the funnel says how many are not excluded, every seeded contact is (all are opted in).
            long basis = eligible > 0 ? eligible : scenario.contacts();
            if (reply == null && accepted >= basis / 2) {
                reply = agentReply();
                log("Agent's reply: %s", reply);
            }
            if (scenario.kill() && "-".equals(killed) && accepted >= basis * scenario.killAt()) {
                killed = killAndRestart(template);
            }
            if ("FINISHED".equals(status) || "CANCELLED".equals(status)) {
                break;
            }
            if (seconds(lastProgress) > 120 && accepted > 0) {
                status = status + " (nothing accepted for 120 s)";
                break;
            }
        }
        long finishedAt = System.currentTimeMillis();
        results(scenario, campaign, template, target, scheduledAt, finishedAt, status, funnel, reply, killed);
    }

    private ObjectNode campaignRequest(String name, String template, String tag, List<String> using) {
        ObjectNode body = BenchProcesses.JSON.createObjectNode().put("name", name);
        body.putObject("template").put("name", template).put("language", "en_US");
        body.putObject("variables").putArray("body").addObject().put("source", "FIELD").put("key", "name").put("fallback", "there");
        ObjectNode audience = body.putObject("audience");
        audience.putArray("tags").add(tag);
        audience.put("match", "ANY");
        ArrayNode numberIds = body.putArray("numbers");
        using.forEach(numberIds::add);
        return body;
    }

    /** Kills the app with SIGKILL and starts it again; says when, at how many sent, and how long it was away. */
    private String killAndRestart(String template) throws Exception {
        long acceptedAtKill = templateCounter(template, "accepted");
        long killedAt = System.nanoTime();
        app.kill();
        log("Killed the app (kill -9) at %,d accepted", acceptedAtKill);
        double startSeconds = app.start(Duration.ofSeconds(300));
        long restartedAccepted = templateCounter(template, "accepted");
        // The first send after the restart: the sandbox's count moves again.
        long resumeDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (templateCounter(template, "accepted") == restartedAccepted && System.nanoTime() < resumeDeadline) {
            Thread.sleep(50);
        }
        double resumed = seconds(killedAt);
        return String.format(Locale.ROOT, "at %,d accepted; app back in %.1f s (%,d accepted meanwhile: sends in flight when it died); sending again %.1f s after the kill",
                acceptedAtKill, startSeconds, restartedAccepted - acceptedAtKill, resumed);
    }

    private void results(Scenario scenario, String campaign, String template, int target, long scheduledAt, long finishedAt, String status,
            JsonNode funnel, Reply reply, String killed) throws Exception {
        JsonNode stats = sandbox.control("GET", "/stats", null).expect(200).json();
        JsonNode counted = stats.path("templates").path(template);
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        long throughputRefusals = 0;
        Map<String, Long> otherRefusals = new TreeMap<>();
        StringBuilder perNumber = new StringBuilder();
        for (String phoneNumberId : numbers.subList(0, scenario.numbers())) {
            JsonNode one = sandbox.control("GET", "/stats?phoneNumberId=" + phoneNumberId, null).expect(200).json();
            one.path("acceptedPerSecond").properties().forEach(e -> perSecond.merge(Long.parseLong(e.getKey()), e.getValue().asLong(), Long::sum));
            for (var refused : one.path("refused").properties()) {
                if ("130429".equals(refused.getKey())) {
                    throughputRefusals += refused.getValue().asLong();
                } else {
                    otherRefusals.merge(refused.getKey(), refused.getValue().asLong(), Long::sum);
                }
            }
            perNumber.append(String.format(Locale.ROOT, "%s: %,d accepted, highest second %,d, most calls in flight %,d; ", phoneNumberId,
                    one.path("accepted").asLong(), one.path("maxPerSecond").asLong(), one.path("maxConcurrentSends").asLong()));
        }
        Rate rate = Rate.of(perSecond);
        long eligible = -1;
        Map<String, Long> states = new TreeMap<>();
        long withoutMessage = -1;
        try (Connection db = DriverManager.getConnection(app.jdbcUrl())) {
            try (PreparedStatement ps = db.prepareStatement("select state, count(*) from campaign_recipients where tenant_id = ? and campaign_id = ?"
                    + " group by state")) {
                ps.setObject(1, app.workspace());
                ps.setObject(2, UUID.fromString(campaign));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            eligible = states.entrySet().stream().filter(e -> !e.getKey().equals("EXCLUDED") && !e.getKey().equals("CANCELLED"))
                    .mapToLong(Map.Entry::getValue).sum();
            withoutMessage = count(db, "select count(*) from campaign_recipients where tenant_id = ? and campaign_id = ? and state in ('WAITING', 'QUEUED')",
                    app.workspace(), UUID.fromString(campaign));
        }
        long reached = counted.path("recipients").asLong();
        long duplicates = counted.path("repeated").asLong();
        long forgotten = Math.max(0, eligible - reached);
        double lastSecond = perSecond.isEmpty() ? 0 : perSecond.lastKey() - scheduledAt / 1000.0;
        report.append(String.format(Locale.ROOT, """

                Campaign `%s` over %d number(s) at %,d/s each (target **%,d messages/s** over all, within 2 %%), status at the end: %s.

                | Measure | Value |
                |---|---|
                | Sustained rate (mean of the full seconds, all numbers, as the sandbox counted them) | **%.0f messages/s** (%.1f %% of %,d) |
                | Highest second / lowest full second | %,d / %,d |
                | Scheduled → last send accepted | %.1f s (%,d accepted: %.0f messages/s overall) |
                | 130429 refusals (throughput) | %,d |
                | Other refusals by code | %s |
                | Failed statuses by code (all numbers) | %s |
                | Recipients (not excluded) / distinct recipients the sandbox accepted | %,d / %,d |
                | **Duplicates** (the template accepted again for a recipient, any number) | **%,d** %s |
                | **Forgotten** (recipients never sent to) | **%,d** (still WAITING or QUEUED in the database: %,d) |
                | Recipients by state | %s |
                | Agent's reply during the campaign: API call → accepted / queued → accepted (target 1 s) | %s |
                | Kill -9 | %s |
                | Funnel (`GET /api/v1/campaigns/{id}`) | `%s` |

                Per number: %s

                Accepted per second (all numbers): %s
                """, campaign, scenario.numbers(), scenario.tier(), target, status, rate.sustained(), 100.0 * rate.sustained() / target, target,
                rate.highest(), rate.lowest(), lastSecond, counted.path("accepted").asLong(), rate.overall(), throughputRefusals,
                otherRefusals.isEmpty() ? "none" : otherRefusals, stats.path("failedStatuses"), eligible, reached, duplicates,
                duplicates == 0 ? "" : "(e.g. " + counted.path("repeatedSample") + ")", forgotten, withoutMessage, states,
                reply == null ? "not sent (the campaign never reached half)" : reply.toString(), killed, funnel, perNumber, perSecond.values()));
        log("%s: %.0f/s sustained, %,d 130429, %,d duplicates, %,d forgotten", scenario.name(), rate.sustained(), throughputRefusals, duplicates, forgotten);
    }

    /** Per-second counts: the mean of the full seconds (the first and last are partial, and so are those beside a gap). */
    record Rate(double sustained, long highest, long lowest, double overall) {
        static Rate of(TreeMap<Long, Long> perSecond) {
            if (perSecond.isEmpty()) {
                return new Rate(0, 0, 0, 0);
            }
            List<Long> full = new ArrayList<>();
            for (var e : perSecond.entrySet()) {
                long s = e.getKey();
                boolean edge = s == perSecond.firstKey() || s == perSecond.lastKey()
                        || !perSecond.containsKey(s - 1) || !perSecond.containsKey(s + 1);
                if (!edge) {
                    full.add(e.getValue());
                }
            }
            long total = perSecond.values().stream().mapToLong(Long::longValue).sum();
            long span = perSecond.lastKey() - perSecond.firstKey() + 1;
            return new Rate(full.stream().mapToLong(Long::longValue).average().orElse(0), perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0),
                    full.stream().mapToLong(Long::longValue).min().orElse(0), (double) total / span);
        }
    }

    // ------------------------------------------------------------------ the agent's reply

    /** An agent's reply and when the sandbox accepted it. */
    record Reply(long apiMillis, long fromQueuedMillis, String problem) {
        @Override
        public String toString() {
            return problem != null ? problem : apiMillis + " ms | " + fromQueuedMillis + " ms";
        }
    }

    /**
     * An agent answers the customer whose window is open, through {@code POST /api/v1/messages}; the sandbox's chat with
     * them shows when it accepted the reply (its clock is this machine's: same host, no offset).
     */
    private Reply agentReply() throws Exception {
        String body = "It leaves today (" + UUID.randomUUID().toString().substring(0, 8) + ")";
        long start = System.currentTimeMillis();
        Answer queued = app.api("POST", "/api/v1/messages", BenchProcesses.JSON.createObjectNode().put("to", probeCustomer).put("type", "text")
                .put("phoneNumberId", numbers.get(0)).set("text", BenchProcesses.JSON.createObjectNode().put("body", body)).toString());
        long answered = System.currentTimeMillis();
        if (queued.status() != 202) {
            return new Reply(-1, -1, "`POST /api/v1/messages` answered " + queued.status() + ": " + queued.body());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode chat = sandbox.control("GET", "/numbers/" + numbers.get(0) + "/chats/" + probeCustomer, null).json();
            for (JsonNode line : chat.path("lines")) {
                if ("business".equals(line.path("from").asString()) && body.equals(line.path("content").path("text").path("body").asString())) {
                    long acceptedAt = Instant.parse(line.path("at").asString()).toEpochMilli();
                    return new Reply(acceptedAt - start, acceptedAt - answered, null);
                }
            }
            Thread.sleep(20);
        }
        return new Reply(-1, -1, "not accepted within 30 s");
    }

    // ------------------------------------------------------------------ helpers

    private long templateCounter(String template, String counter) {
        return sandbox.control("GET", "/stats", null).json().path("templates").path(template).path(counter).asLong(0);
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong(0);
        }
        return total;
    }

    static long count(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Duration patience, Check check) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Waited " + patience.toSeconds() + " s for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
