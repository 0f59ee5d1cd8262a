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
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Automation at scale, as issue 16 asks: with {@code --rules} enabled rules and {@code --flows} published flows in the
 * workspace, webhook processing at {@code --rate} messages/s stays within 10 % of its rate without rules, and the p99
 * time from a message stored to its automatic reply queued stays under 200 ms. Against a running
 * {@code ./hexa run --demo --data DIR}; writes a Markdown report to {@code bench/reports/automation-<id>.md}.
 *
 * <pre>./hexa bench automation --demo-json DIR/demo.json [--rules 200] [--flows 20] [--rate 1000] [--seconds 20]</pre>
 *
 * <p>Phases, all with the same load (signed message webhooks from {@code --customers} customers, POSTs of
 * {@code --batch}; one message in {@code --keyword-every} contains a word a replying rule answers, one in
 * {@code --flow-every} is exactly a flow's keyword, the rest are plain text):
 * <ol>
 * <li>warm-up at the offered rate, not counted;</li>
 * <li><b>without rules</b>: every rule of the workspace disabled (the demo's too; restored at the end), the bench's
 * flows not created yet (the demo's own flow stays published; its keyword is never written): the processing capacity
 * measured as {@code ./hexa bench webhooks --backlog true} does: the load is acknowledged while a {@code SHARE} lock
 * on {@code messages} holds processing back, then the lock is released and the time, by the database's clock, to the
 * last message of the phase stored gives messages/s;</li>
 * <li>the rules and flows are created through the API ({@code /api/v1/automation/rules}, {@code /flows});</li>
 * <li><b>with rules</b>: the same backlog measurement; also the time to the last rule consideration logged;</li>
 * <li><b>latency</b>: the load at the offered rate (no lock) for {@code --seconds}; for every message a rule answered,
 * the rule log links it to its reply: reply {@code created_at} minus message {@code created_at}, by SQL; for flow
 * keywords, the first outbound message of the conversation after it.</li>
 * </ol>
 */
public final class AutomationBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Words the replying rules answer (a message containing one); the load writes them in turn. */
    private static final List<String> REPLY_WORDS = List.of("price", "hours", "address", "delivery", "refund");

    private final String appUrl;
    private final String token;
    private final String jdbcUrl;
    private final UUID tenant;

    private AutomationBenchmark(String appUrl, String token, String jdbcUrl, UUID tenant) {
        this.appUrl = appUrl;
        this.token = token;
        this.jdbcUrl = jdbcUrl;
        this.tenant = tenant;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = InboxBenchmark.options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json")).toAbsolutePath();
        String demo = Files.readString(demoFile);
        UUID tenant = UUID.fromString(InboxBenchmark.field(demo.substring(demo.indexOf("\"workspace\"")), "id"));
        AutomationBenchmark bench = new AutomationBenchmark(InboxBenchmark.field(demo, "url"), InboxBenchmark.field(demo, "apiToken"),
                options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile)), tenant);
        int rules = Integer.parseInt(options.getOrDefault("--rules", "200"));
        int flows = Integer.parseInt(options.getOrDefault("--flows", "20"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
        int batch = Integer.parseInt(options.getOrDefault("--batch", "10"));
        int customers = Integer.parseInt(options.getOrDefault("--customers", "5000"));
        int keywordEvery = Integer.parseInt(options.getOrDefault("--keyword-every", "20"));
        int flowEvery = Integer.parseInt(options.getOrDefault("--flow-every", "100"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "10"));
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<String> flowWords = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            flowWords.add("menu" + (i + 1));
        }
        Load load = new Load(InboxBenchmark.field(demo, "callbackUrl"), InboxBenchmark.field(demo, "appSecret"),
                InboxBenchmark.field(demo, "phoneNumberId"), InboxBenchmark.field(demo, "wabaId"), InboxBenchmark.field(demo, "displayPhoneNumber"),
                rate, batch, customers, keywordEvery, flowEvery, flowWords, runId);

        StringBuilder report = new StringBuilder();
        try (Connection db = DriverManager.getConnection(bench.jdbcUrl)) {
            report.append(InboxBenchmark.header("Automation", bench.appUrl, tenant, db,
                    InboxBenchmark.dataSizes(db, tenant), "Nothing seeded: the demo workspace, and the customers the load brings.\n"));
        }
        report.append(String.format(Locale.ROOT, """

                ## Load
                Signed message webhooks to the demo number's callback at **%,d messages/s** in POSTs of %d, from %,d customers
                (run `%s`); one message in %d contains a word a replying rule answers (%s, in turn), one in %d is exactly a flow's
                keyword (`menu1`…`menu%d`, in turn), the rest say "Load message n". Every phase sends the same mix for %d s.
                """, rate, batch, customers, runId, keywordEvery, String.join(", ", REPLY_WORDS), flowEvery, flows, seconds));

        // The workspace's own rules off for the "without" phase; the hourly limit of automatic replies raised, so that
        // a customer who writes a keyword several times in a run is still answered.
        List<String> demoEnabled = bench.enabledRuleIds();
        String settingsBefore = bench.api("GET", "/api/v1/automation/settings", null);
        bench.api("PUT", "/api/v1/automation/settings", "{\"repliesPerHour\": 100}");
        List<String> created = new ArrayList<>();
        List<String> createdFlows = new ArrayList<>();
        try {
            for (String id : demoEnabled) {
                bench.api("POST", "/api/v1/automation/rules/" + id + "/disable", null);
            }
            System.out.printf("Disabled the workspace's %d enabled rules for the run%n", demoEnabled.size());

            if (warmup > 0) {
                System.out.printf("Warming up: %d messages/s for %d s%n", rate, warmup);
                Instant from = bench.now();
                int sent = load.run("w", Duration.ofSeconds(warmup));
                bench.awaitStored(runId + ".w.", from, sent, Duration.ofSeconds(300));
                Thread.sleep(2000);
            }

            Backlog without = bench.backlog(load, "a", seconds, false);
            System.out.println("Without rules: " + without);

            long createStart = System.nanoTime();
            String what = bench.createRules(rules, created);
            double rulesSeconds = (System.nanoTime() - createStart) / 1e9;
            createStart = System.nanoTime();
            bench.createFlows(flowWords, createdFlows);
            double flowsSeconds = (System.nanoTime() - createStart) / 1e9;
            System.out.printf("Created %d rules in %.1f s and %d published flows in %.1f s%n", created.size(), rulesSeconds, createdFlows.size(), flowsSeconds);
            Thread.sleep(2000);

            Backlog with = bench.backlog(load, "b", seconds, true);
            System.out.println("With rules: " + with);

            System.out.printf("Latency: %d messages/s for %d s with the rules%n", rate, seconds);
            Instant latencyFrom = bench.now();
            List<Double> acks = Collections.synchronizedList(new ArrayList<>());
            int sent = load.run("c", Duration.ofSeconds(seconds), acks);
            bench.awaitStored(runId + ".c.", latencyFrom, sent, Duration.ofSeconds(300));
            Latency latency = bench.latency(runId + ".c.", latencyFrom, Duration.ofSeconds(900));

            String loadAfter = InboxBenchmark.loadAverage();
            double ratio = with.rate() / without.rate();
            report.append(String.format(Locale.ROOT, """

                    ## What was created (through the API, as an Admin's token)
                    %d rules in %.1f s, all enabled (the workspace's own %d enabled rules were disabled for the whole run and enabled again
                    afterwards), and %d flows, each published, in %.1f s:

                    %s
                    - %d flows `Bench flow n`, each entered by the keyword `menuN`: an `ask` step with two buttons (timeout 30 min), a
                      `branch` on the tapped button, a `send` step, an `end`.

                    ## Processing capacity (the method of `./hexa bench webhooks --backlog true`)
                    The phase's load is acknowledged while a `SHARE` lock on `messages` holds processing back; then the lock is
                    released and the time from the release to the last message of the phase stored, by the database's clock, gives
                    the rate. "Automation done" is the time from the release until no event publication of the phase to an automation
                    listener (rules, flows) is left incomplete, polled every 200 ms: they listen after the messages are stored, in
                    transactions of their own, so the messages' rate alone does not include their work.

                    | Phase | Messages | Webhook events | To the last stored | **Processing** | Automation done | Rule log rows |
                    |---|---|---|---|---|---|---|
                    %s
                    %s

                    **With rules / without: %.1f %%** of the rate (the issue: at least 90 %%).%s

                    ## Message stored → automatic reply queued (%d s at the offered rate, with the rules and flows)
                    Per answered message, by SQL: the reply's `created_at` minus the customer's message's `created_at` (rules: the
                    rule log's line links the message to the reply it queued; flows: the conversation's first outbound message after
                    it). Acknowledgement of the %,d POSTs: p50 %.1f ms, p99 %.1f ms.

                    | Replies by | Messages that asked | Answered | p50 | p95 | **p99** | max |
                    |---|---|---|---|---|---|---|
                    %s
                    %s

                    p99 of the rules' replies: **%.0f ms** (the issue: under 200 ms): %s.

                    Load average after measuring: %s
                    """, created.size(), rulesSeconds, demoEnabled.size(), createdFlows.size(), flowsSeconds, what, createdFlows.size(),
                    without.row("Without rules (no rule enabled, no bench flow)"), with.row("With " + created.size() + " rules and " + createdFlows.size() + " flows"),
                    ratio * 100, with.rulesDoneSeconds() > 0 ? String.format(Locale.ROOT, " Counting the automation listeners' work to its end (\"automation done\") in both: %.1f %%.",
                            (with.messages() / with.rulesDoneSeconds()) / (without.messages() / without.rulesDoneSeconds()) * 100) : "",
                    seconds, acks.size(), RetentionBenchmark.percentile(acks, 50), RetentionBenchmark.percentile(acks, 99),
                    latency.rules().row("Rules (" + String.join(", ", REPLY_WORDS) + ")"), latency.flows().row("Flows (menuN)"),
                    latency.rules().p(99), latency.rules().p(99) < 200 ? "met" : "NOT met", loadAfter));
            report.append(bench.ruleLogCost(runId));
        } finally {
            for (String id : demoEnabled) {
                bench.api("POST", "/api/v1/automation/rules/" + id + "/enable", null);
            }
            Matcher limit = Pattern.compile("\"repliesPerHour\"\\s*:\\s*([0-9]+)").matcher(settingsBefore);
            if (limit.find()) {
                bench.api("PUT", "/api/v1/automation/settings", "{\"repliesPerHour\": " + limit.group(1) + "}");
            }
            if (!Boolean.parseBoolean(options.getOrDefault("--keep", "false"))) {
                // The bench's rules and flows go, so that the workspace is as it was (and a second run starts clean).
                for (String id : created) {
                    bench.api("DELETE", "/api/v1/automation/rules/" + id, null);
                }
                for (String id : createdFlows) {
                    bench.api("DELETE", "/api/v1/automation/flows/" + id, null);
                }
            }
            load.close();
        }
        Files.createDirectories(reports);
        Path file = reports.resolve("automation-" + runId + ".md");
        Files.writeString(file, report.toString());
        System.out.print(report);
        System.out.println("Report written to " + file);
    }

    // ---- the rules and flows -------------------------------------------------------------------------------------

    /**
     * {@code count} enabled rules, in this order: the rarely-holding "message received" rules first (so that every
     * message is considered against all of them), then a few of other triggers, then one replying rule per word of
     * {@link #REPLY_WORDS} last ("stop after"). Answers their description for the report.
     */
    private String createRules(int count, List<String> ids) throws Exception {
        int replying = Math.min(REPLY_WORDS.size(), count);
        int others = Math.min(count - replying, Math.max(0, count / 8));
        int rare = count - replying - others;
        String[] kinds = new String[8];
        int[] made = new int[8 + 2];
        for (int i = 0; i < rare; i++) {
            int k = i % 8;
            String n = Integer.toString(i + 1);
            String rule = switch (k) {
                case 0 -> rule("Refund words " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("TEXT", null, "CONTAINS", "refund-" + n), action("ADD_TAG", "tag", "refund-" + n));
                case 1 -> rule("Order number " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("TEXT", null, "MATCHES", "^order\\\\s+#?Z" + n + "[0-9]{4,}$"), action("REPLY_TEXT", "text", "We are looking at order {{first_name|there}}."));
                case 2 -> rule("VIP urgent " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("TAG", null, "IS", "vip-" + n) + "," + cond("TEXT", null, "CONTAINS", "urgent"), action("ADD_NOTE", "text", "A VIP writes urgently."));
                case 3 -> rule("City " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("ATTRIBUTE", "city", "EQUALS", "city-" + n), action("SET_ATTRIBUTE", "key", "region", "value", "region-" + n));
                case 4 -> rule("After hours agent " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("BUSINESS_HOURS", null, "IS", "closed") + "," + cond("TEXT", null, "CONTAINS", "agent-" + n),
                        action("REPLY_TEXT", "text", "Our team is back tomorrow.", "onceEveryHours", "12"));
                case 5 -> rule("Photo or code " + n, "MESSAGE_RECEIVED", null, "ANY",
                        cond("TEXT", null, "EQUALS", "code-" + n) + "," + cond("MESSAGE_TYPE", null, "IS", "image"), action("ADD_TAG", "tag", "sent-photo"));
                case 6 -> rule("First French message " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("FIRST_MESSAGE", null, "IS", "true") + "," + cond("LANGUAGE", null, "IS", "fr"), action("REPLY_TEXT", "text", "Bonjour !"));
                default -> rule("Opted out promo " + n, "MESSAGE_RECEIVED", null, "ALL",
                        cond("CONSENT", null, "IS", "opted_out") + "," + cond("TEXT", null, "CONTAINS", "promo-" + n), action("ADD_TAG", "tag", "promo-after-stop"));
            };
            kinds[k] = switch (k) {
                case 0 -> "text contains `refund-n` → add a tag";
                case 1 -> "text matches `^order\\s+#?Zn[0-9]{4,}$` → reply with text";
                case 2 -> "tag is `vip-n` and text contains `urgent` → add a note";
                case 3 -> "attribute `city` equals `city-n` → set an attribute";
                case 4 -> "business hours closed and text contains `agent-n` → reply with text once every 12 h";
                case 5 -> "any of: text equals `code-n`, message type image → add a tag";
                case 6 -> "first message and language `fr` → reply with text";
                default -> "consent opted out and text contains `promo-n` → add a tag";
            };
            made[k]++;
            ids.add(create(rule));
        }
        String[] otherTriggers = {"CONVERSATION_RESOLVED", "TAG_ADDED", "CONVERSATION_ASSIGNED", "CONSENT_CHANGED", "CONTACT_CREATED", "NO_AGENT_REPLY"};
        for (int i = 0; i < others; i++) {
            String trigger = otherTriggers[i % otherTriggers.length];
            String n = Integer.toString(i + 1);
            String rule = switch (trigger) {
                case "CONVERSATION_RESOLVED" -> rule("Resolved survey " + n, trigger, null, "ALL", cond("TAG", null, "IS", "survey-" + n),
                        action("ADD_TAG", "tag", "surveyed"));
                case "TAG_ADDED" -> rule("Tagged " + n, trigger, null, "ALL", cond("TAG", null, "IS", "lead-" + n), action("ADD_NOTE", "text", "New lead."));
                case "CONVERSATION_ASSIGNED" -> rule("Assigned " + n, trigger, null, "ALL", cond("LANGUAGE", null, "IS", "de"),
                        action("ADD_NOTE", "text", "German speaker."));
                case "CONSENT_CHANGED" -> rule("Consent " + n, trigger, null, "ALL", cond("CONSENT", null, "IS", "opted_out"),
                        action("ADD_TAG", "tag", "opted-out-" + n));
                case "CONTACT_CREATED" -> rule("New contact " + n, trigger, null, "ALL", cond("LANGUAGE", null, "IS", "pt"),
                        action("ADD_TAG", "tag", "portuguese"));
                default -> rule("No agent reply " + n, trigger, 600, "ALL", cond("TAG", null, "IS", "escalate-" + n),
                        action("ADD_NOTE", "text", "Nobody answered in 10 hours."));
            };
            ids.add(create(rule));
        }
        for (int i = 0; i < replying; i++) {
            String word = REPLY_WORDS.get(i);
            ids.add(create("{\"name\": \"Answer " + word + "\", \"enabled\": true, \"stopAfter\": true, \"trigger\": {\"kind\": \"MESSAGE_RECEIVED\"}, "
                    + "\"match\": \"ALL\", \"conditions\": [" + cond("TEXT", null, "CONTAINS", word) + "], \"actions\": ["
                    + action("REPLY_TEXT", "text", "Hi {{first_name|there}}, about " + word + ": see our website or ask an agent.") + "]}"));
        }
        StringBuilder what = new StringBuilder(String.format(Locale.ROOT, "- %d \"message received\" rules that rarely hold, considered for every message (n = 1…):%n", rare));
        for (int k = 0; k < 8; k++) {
            if (made[k] > 0) {
                what.append(String.format(Locale.ROOT, "  - %d × %s%n", made[k], kinds[k]));
            }
        }
        what.append(String.format(Locale.ROOT, "- %d rules of other triggers (in turn: %s; no agent reply after 600 min), each with a condition that"
                + " rarely holds%n", others, String.join(", ", otherTriggers)));
        what.append(String.format(Locale.ROOT, "- %d replying rules, last in the order, \"stop after\": text contains `%s` → reply with text%n",
                replying, String.join("` / `", REPLY_WORDS.subList(0, replying))));
        return what.toString();
    }

    private void createFlows(List<String> words, List<String> ids) throws Exception {
        for (int i = 0; i < words.size(); i++) {
            String draft = """
                    {"start":"hi","steps":[
                      {"id":"hi","type":"ask","message":{"kind":"buttons","text":"What can we do for you?","choices":[{"id":"orders","title":"My orders"},{"id":"returns","title":"Returns"}]},
                       "next":"route","timeoutMinutes":30,"onTimeout":"bye"},
                      {"id":"route","type":"branch","routes":[{"on":"reply","value":"orders","next":"orders"}],"otherwise":"bye"},
                      {"id":"orders","type":"send","message":{"kind":"text","text":"Your orders are on their way."},"next":"bye"},
                      {"id":"bye","type":"end"}]}
                    """;
            String flow = api("POST", "/api/v1/automation/flows", "{\"name\":\"Bench flow " + (i + 1) + "\",\"keywords\":[\"" + words.get(i) + "\"],\"draft\":" + draft + "}");
            String id = InboxBenchmark.field(flow, "id");
            ids.add(id);
            api("POST", "/api/v1/automation/flows/" + id + "/publish", "");
        }
    }

    private static String rule(String name, String trigger, Integer minutes, String match, String conditions, String action) {
        return "{\"name\": \"Bench: " + name + "\", \"enabled\": true, \"stopAfter\": false, \"trigger\": {\"kind\": \"" + trigger + "\""
                + (minutes == null ? "" : ", \"minutes\": " + minutes) + "}, \"match\": \"" + match + "\", \"conditions\": [" + conditions
                + "], \"actions\": [" + action + "]}";
    }

    private static String cond(String field, String key, String operator, String value) {
        return "{\"field\": \"" + field + "\", \"key\": " + (key == null ? "null" : "\"" + key + "\"") + ", \"operator\": \"" + operator
                + "\", \"value\": \"" + value + "\"}";
    }

    private static String action(String kind, String... options) {
        StringBuilder json = new StringBuilder("{\"kind\": \"" + kind + "\", \"options\": {");
        for (int i = 0; i + 1 < options.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append('"').append(options[i]).append("\": \"").append(options[i + 1]).append('"');
        }
        return json.append("}}").toString();
    }

    private String create(String rule) throws Exception {
        return InboxBenchmark.field(api("POST", "/api/v1/automation/rules", rule), "id");
    }

    private List<String> enabledRuleIds() throws Exception {
        String list = api("GET", "/api/v1/automation/rules", null);
        List<String> ids = new ArrayList<>();
        Matcher rule = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"\\s*,\\s*\"name\"[^{]*?\"enabled\"\\s*:\\s*true").matcher(list);
        while (rule.find()) {
            ids.add(rule.group(1));
        }
        return ids;
    }

    private String api(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appUrl + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body()
                    + (json == null ? "" : "\nfor " + json));
        }
        return response.body();
    }

    // ---- the measurements ----------------------------------------------------------------------------------------

    record Backlog(long messages, long events, double seconds, double rulesDoneSeconds, long ruleLogRows) {

        double rate() {
            return messages / seconds;
        }

        String row(String what) {
            return String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f s | **%,.0f messages/s** | %s | %,d |", what, messages, events, seconds, rate(),
                    rulesDoneSeconds > 0 ? String.format(Locale.ROOT, "%.2f s (%,.0f messages/s)", rulesDoneSeconds, messages / rulesDoneSeconds) : "—",
                    ruleLogRows);
        }
    }

    /** The phase's load acknowledged behind a lock on {@code messages}, then its processing timed from the release. */
    private Backlog backlog(Load load, String phase, int seconds, boolean rules) throws Exception {
        String prefix = load.run + "." + phase + ".";
        Instant from = now();
        int sent;
        Timestamp released;
        try (Connection hold = DriverManager.getConnection(jdbcUrl)) {
            hold.setAutoCommit(false);
            try (Statement lock = hold.createStatement()) {
                lock.execute("lock table messages in share mode");
            }
            System.out.printf("Phase %s: %d s of load acknowledged while processing is held back%n", phase, seconds);
            sent = load.run(phase, Duration.ofSeconds(seconds));
            Thread.sleep(1000);
            try (Statement now = hold.createStatement(); ResultSet rs = now.executeQuery("select clock_timestamp()")) {
                rs.next();
                released = rs.getTimestamp(1);
            }
            hold.commit();
        }
        awaitStored(prefix, from, sent, Duration.ofSeconds(600));
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            long events = InboxBenchmark.count(db, "select count(*) from webhook_events where tenant_id = ? and received_at >= '" + from + "'", tenant);
            double stored;
            try (PreparedStatement ps = db.prepareStatement("""
                    select extract(epoch from max(created_at) - ?) from messages where tenant_id = ? and created_at >= ? and wamid like ?
                    """)) {
                ps.setTimestamp(1, released);
                ps.setObject(2, tenant);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setString(4, "wamid." + prefix + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    stored = rs.getDouble(1);
                }
            }
            double rulesDone = 0;
            long logRows = 0;
            {
                // The rules and flows listen to the stored messages' events in transactions of their own (one per
                // event, committed at its end): their work is done when no publication to them is left incomplete.
                Timestamp done = awaitAutomation(db, from, Duration.ofSeconds(900));
                rulesDone = (done.getTime() - released.getTime()) / 1000.0;
                logRows = InboxBenchmark.count(db, "select count(*) from automation_rule_log where tenant_id = ? and at >= '" + from + "'", tenant)
                        + InboxBenchmark.count(db, "select count(*) from automation_rule_passes where tenant_id = ? and at >= '" + from + "'", tenant);
            }
            return new Backlog(sent, events, stored, rulesDone, logRows);
        }
    }

    /** Waits until every event published since {@code from} to an automation listener was handled; answers when, by the database's clock. */
    private static Timestamp awaitAutomation(Connection db, Instant from, Duration longest) throws Exception {
        long deadline = System.nanoTime() + longest.toNanos();
        try (PreparedStatement ps = db.prepareStatement("""
                select count(*), clock_timestamp() from event_publication
                 where listener_id like 'automation%' and completion_date is null and publication_date >= ?
                """)) {
            ps.setTimestamp(1, Timestamp.from(from));
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0 || System.nanoTime() > deadline) {
                        if (rs.getLong(1) > 0) {
                            System.out.println(rs.getLong(1) + " automation event publications still incomplete after " + longest);
                        }
                        return rs.getTimestamp(2);
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    private Instant now() throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl); Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private void awaitStored(String prefix, Instant from, long expected, Duration longest) throws Exception {
        long deadline = System.nanoTime() + longest.toNanos();
        long stored = 0;
        try (Connection db = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = db.prepareStatement("select count(*) from messages where tenant_id = ? and created_at >= ? and wamid like ?")) {
            ps.setObject(1, tenant);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setString(3, "wamid." + prefix + "%");
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                if (stored >= expected) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("Only " + stored + " of " + expected + " messages " + prefix + "* were stored within " + longest);
    }

    record Percentiles(long asked, long answered, long[] millis) {

        double p(int percent) {
            return InboxBenchmark.ms(millis, percent);
        }

        String row(String what) {
            return String.format(Locale.ROOT, "| %s | %,d | %,d | %.0f ms | %.0f ms | **%.0f ms** | %.0f ms |", what, asked, answered, p(50), p(95), p(99), p(100));
        }
    }

    record Latency(Percentiles rules, Percentiles flows) {
    }

    /** Stored → reply queued for the phase's keyword messages, once the replies stop coming. */
    private Latency latency(String prefix, Instant from, Duration longest) throws Exception {
        String rulesSql = """
                select (extract(epoch from r.created_at - m.created_at) * 1000000)::bigint
                  from messages m
                  join automation_rule_log l on l.tenant_id = m.tenant_id and l.message_id = m.id and l.outcome = 'FIRED'
                  join messages r on r.tenant_id = m.tenant_id and r.id = (l.actions -> 0 ->> 'messageId')::uuid
                 where m.tenant_id = ? and m.created_at >= ? and m.wamid like ? and m.direction = 'INBOUND' and m.body not like 'Load message%'
                   and m.body not like 'menu%'
                """;
        String flowsSql = """
                select (extract(epoch from r.created_at - m.created_at) * 1000000)::bigint
                  from messages m
                  join lateral (select o.created_at from messages o
                                 where o.tenant_id = m.tenant_id and o.conversation_id = m.conversation_id and o.direction = 'OUTBOUND'
                                   and o.created_at >= m.created_at order by o.created_at limit 1) r on true
                 where m.tenant_id = ? and m.created_at >= ? and m.wamid like ? and m.direction = 'INBOUND' and m.body like 'menu%'
                """;
        String askedSql = "select count(*) filter (where body not like 'Load message%%' and body not like 'menu%%'), count(*) filter (where body like 'menu%%')"
                + " from messages where tenant_id = ? and created_at >= ? and wamid like ? and direction = 'INBOUND'";
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            awaitAutomation(db, from, longest);
            long[] rules = micros(db, rulesSql, from, prefix);
            long[] flows = micros(db, flowsSql, from, prefix);
            long askedRules = 0;
            long askedFlows = 0;
            try (PreparedStatement ps = db.prepareStatement(askedSql.replace("%%", "%"))) {
                ps.setObject(1, tenant);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setString(3, "wamid." + prefix + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    askedRules = rs.getLong(1);
                    askedFlows = rs.getLong(2);
                }
            }
            return new Latency(new Percentiles(askedRules, rules.length, rules), new Percentiles(askedFlows, flows.length, flows));
        }
    }

    private long[] micros(Connection db, String sql, Instant from, String prefix) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setString(3, "wamid." + prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** What the rule log costs: its rows and size for the run, per message. */
    private String ruleLogCost(String runId) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            long rows = InboxBenchmark.count(db, "select count(*) from automation_rule_log where tenant_id = ?", tenant);
            long passes = InboxBenchmark.count(db, "select count(*) from automation_rule_passes where tenant_id = ?", tenant);
            String size = InboxBenchmark.single(db, "select pg_size_pretty(pg_total_relation_size('automation_rule_log'))");
            String passesSize = InboxBenchmark.single(db, "select pg_size_pretty(pg_total_relation_size('automation_rule_passes'))");
            long messages = InboxBenchmark.count(db, "select count(*) from messages where tenant_id = ? and wamid like 'wamid." + runId + ".%'", tenant);
            return String.format(Locale.ROOT, "%nThe rule log after the run: %,d rows of their own (rules that fired or were blocked), %s with its indexes,"
                    + " and %,d passes (the rules that did not fire, one row per message or event), %s with its indexes; the run's %,d messages.%n",
                    rows, size, passes, passesSize, messages);
        }
    }

    // ---- the load --------------------------------------------------------------------------------------------------

    /** The bench's messages ({@link WebhookLoad}): the keyword mix from {@code customers} customers, flow keywords from customers of their own. */
    static final class Load implements AutoCloseable {

        private final WebhookLoad webhooks;
        private final int customers;
        private final int keywordEvery;
        private final int flowEvery;
        private final List<String> flowWords;
        final String run;

        Load(String callbackUrl, String appSecret, String phoneNumberId, String wabaId, String display, int rate, int batch, int customers,
             int keywordEvery, int flowEvery, List<String> flowWords, String run) {
            this.webhooks = new WebhookLoad(callbackUrl, appSecret, phoneNumberId, wabaId, display, rate, batch);
            this.customers = customers;
            this.keywordEvery = keywordEvery;
            this.flowEvery = flowEvery;
            this.flowWords = flowWords;
            this.run = run;
        }

        int run(String phase, Duration duration) throws Exception {
            return run(phase, duration, null);
        }

        /** Sends for {@code duration}, waits for every POST's answer; answers the number of messages sent. */
        int run(String phase, Duration duration, List<Double> latencies) throws Exception {
            WebhookLoad.Sent sent = webhooks.run(duration, null, n -> message(phase, n));
            if (sent.failures() > 0) {
                throw new IllegalStateException(sent.failures() + " webhook POSTs were not answered 200");
            }
            if (latencies != null) {
                latencies.addAll(sent.latencies());
            }
            return sent.messages();
        }

        private String text(int n) {
            if (n % keywordEvery == 0) {
                return "What is the " + REPLY_WORDS.get((n / keywordEvery) % REPLY_WORDS.size()) + "?";
            }
            if (!flowWords.isEmpty() && n % flowEvery == 1) {
                return flowWords.get((n / flowEvery) % flowWords.size());
            }
            return "Load message " + n;
        }

        private WebhookLoad.Message message(String phase, int n) {
            // A flow's keyword comes from a customer of its own: a customer who wrote one earlier has a run waiting for
            // the answer to its question, and a second keyword from them would be that answer, not a new run.
            boolean flowWord = !flowWords.isEmpty() && n % flowEvery == 1 && n % keywordEvery != 0;
            String waId = flowWord ? "1778" + String.format("%07d", n % 10_000_000) : "1777" + String.format("%07d", n % customers);
            return new WebhookLoad.Message(waId, "Automation " + (n % customers), "wamid." + run + "." + phase + "." + n, text(n));
        }

        @Override
        public void close() {
            webhooks.close();
        }
    }
}
