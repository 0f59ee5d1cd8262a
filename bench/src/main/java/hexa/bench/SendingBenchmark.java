package hexa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sending at a number's full rate, as issue 17 asks: {@code --messages} bulk template messages to as many distinct
 * customers are queued at once (one multi-row insert, as {@code SendService.queueBulk} writes them) on the demo number
 * with a {@code --tier} messages/s throughput tier (set on both sides: the connection and the sandbox number), while
 * the sandbox answers each Graph call after its latency (150 ms ± 10 by default). In the middle of the run a customer
 * writes and an agent's reply is sent through the API: its time from the API call to Meta's acceptance is measured.
 * Against a running {@code ./hexa run --demo --data DIR}; writes {@code bench/reports/sending-<id>.md}.
 *
 * <pre>./hexa bench sending --demo-json DIR/demo.json [--messages 20000] [--tier 1000] [--timeout 300]</pre>
 *
 * <p>Reported, from the sandbox's per-number counters (what "Meta" received): the sustained rate (accepted per second
 * over the full seconds between the first and the last), the highest second, 130429 refusals, duplicates (the same
 * {@code biz_opaque_callback_data} accepted twice) and, from the database, messages never sent by the end.
 */
public final class SendingBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = InboxBenchmark.options(args);
        Path demoFile = Path.of(options.getOrDefault("--demo-json", "data/demo.json")).toAbsolutePath();
        String demo = Files.readString(demoFile);
        UUID tenant = UUID.fromString(InboxBenchmark.field(demo.substring(demo.indexOf("\"workspace\"")), "id"));
        String url = InboxBenchmark.field(demo, "url");
        String apiToken = InboxBenchmark.field(demo, "apiToken");
        String controlToken = InboxBenchmark.field(demo, "controlToken");
        String phoneNumberId = InboxBenchmark.field(demo, "phoneNumberId");
        String jdbc = options.getOrDefault("--jdbc", InboxBenchmark.jdbcUrlOf(demoFile));
        int messages = Integer.parseInt(options.getOrDefault("--messages", "20000"));
        int tier = Integer.parseInt(options.getOrDefault("--tier", "1000"));
        long timeoutSeconds = Long.parseLong(options.getOrDefault("--timeout", "300"));
        Path reports = Path.of(options.getOrDefault("--reports", "bench/reports"));
        String runId = Long.toString(System.currentTimeMillis(), 36);

        StringBuilder report = new StringBuilder();
        try (Connection db = DriverManager.getConnection(jdbc)) {
            report.append(InboxBenchmark.header("Sending", url, tenant, db, InboxBenchmark.dataSizes(db, tenant),
                    String.format(Locale.ROOT, "%,d contacts and their conversations, and %,d queued bulk template messages (run %s).%n",
                            messages, messages, runId)));
            UUID connection = InboxBenchmark.uuid(db, "select id from whatsapp_connections where tenant_id = ? and phone_number_id = ?", tenant,
                    phoneNumberId);
            InboxBenchmark.update(db, "update whatsapp_connections set messages_per_second = ?, messaging_limit = null, bulk_paused_until = null where id = ?",
                    tier, connection);
            call("PATCH", url + "/sandbox/api/numbers/" + phoneNumberId, controlToken,
                    "{\"messagesPerSecond\": " + tier + ", \"messagingLimit\": 0}");
            call("DELETE", url + "/sandbox/api/stats", controlToken, null);
            String switches = call("GET", url + "/sandbox/api/switches", controlToken, null);

            // A customer writes first (before the load, whose status webhooks would queue ahead of their message).
            String customer = "917799" + String.format("%06d", Math.abs(runId.hashCode()) % 1_000_000);
            call("POST", url + "/sandbox/api/customers/" + customer + "/messages", controlToken,
                    "{\"phoneNumberId\": \"" + phoneNumberId + "\", \"type\": \"text\", \"text\": {\"body\": \"Where is my order?\"}}");
            long writeStart = System.nanoTime();
            while (InboxBenchmark.count(db, "select count(*) from contacts where tenant_id = '" + tenant + "' and wa_id = '" + customer + "'", null) == 0
                    && seconds(writeStart) < 60) {
                Thread.sleep(100);
            }

            // Contacts, their conversations and the bulk messages, as a campaign queues them: one statement each.
            long seedStart = System.nanoTime();
            InboxBenchmark.update(db, """
                    create temp table bench_send as
                    select n, md5(? || 'c' || n)::uuid as contact_id, md5(? || 'v' || n)::uuid as conversation_id,
                           md5(? || 'm' || n)::uuid as message_id, '91' || ? || lpad(n::text, 8, '0') as wa_id
                      from generate_series(1, ?) n
                    """, runId, runId, runId, String.format("%02d", 10 + Math.abs(runId.hashCode()) % 90), messages);
            InboxBenchmark.update(db, """
                    insert into contacts (tenant_id, id, name, phone_e164, wa_id, created_at, updated_at, last_activity_at)
                    select ?, contact_id, 'Bench ' || n, '+' || wa_id, wa_id, now(), now(), now() from bench_send
                    """, tenant);
            InboxBenchmark.update(db, """
                    insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at, last_outbound_at)
                    select ?, conversation_id, contact_id, ?, 'OPEN', now(), now(), now() from bench_send
                    """, tenant, connection);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            long queueStart = System.nanoTime();
            InboxBenchmark.update(db, """
                    insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content, status,
                                          sent_at, created_at, next_attempt_at, sent_by_kind, sent_by, sent_by_name, never_resend, send_lane)
                    select ?, message_id, conversation_id, contact_id, ?, 'OUTBOUND', 'template', 'hello_world',
                           '{"type":"template","template":{"name":"hello_world","language":{"code":"en_US"}}}'::jsonb, 'QUEUED',
                           now(), now(), now(), 'CAMPAIGN', ?, 'Bench ' || ?, true, 1
                      from bench_send
                    """, tenant, connection, UUID.nameUUIDFromBytes(runId.getBytes()), runId);
            double queueSeconds = (System.nanoTime() - queueStart) / 1e9;
            long started = System.nanoTime();

            // The agent's reply in the middle: a customer wrote before (the 24-hour window is open), the reply goes through the API.
            Long replyMillis = null;
            while (accepted(url, controlToken, phoneNumberId) < messages / 2 && seconds(started) < timeoutSeconds) {
                Thread.sleep(200);
            }
            long replyStart = System.nanoTime();
            String sent = call("POST", url + "/api/v1/messages", apiToken,
                    "{\"to\": \"" + customer + "\", \"type\": \"text\", \"text\": {\"body\": \"It leaves today.\"}}");
            long replyQueued = System.nanoTime();
            long acceptedWhenQueued = accepted(url, controlToken, phoneNumberId);
            String replyId = field(sent, "id");
            Long fromQueued = null;
            while (seconds(replyStart) < 30) {
                String message = call("GET", url + "/api/v1/messages/" + replyId, apiToken, null);
                if (message.matches("(?s).*\"whatsappId\"\\s*:\\s*\"wamid.*")) {
                    replyMillis = (System.nanoTime() - replyStart) / 1_000_000;
                    fromQueued = (System.nanoTime() - replyQueued) / 1_000_000;
                    break;
                }
                Thread.sleep(20);
            }

            while (InboxBenchmark.count(db, "select count(*) from messages where tenant_id = '" + tenant + "' and sent_by_name = 'Bench " + runId
                    + "' and status = 'QUEUED'", null) > 0 && seconds(started) < timeoutSeconds) {
                Thread.sleep(500);
            }
            double total = seconds(started);
            long never = InboxBenchmark.count(db, "select count(*) from messages where tenant_id = '" + tenant + "' and sent_by_name = 'Bench " + runId
                    + "' and wamid is null", null);
            String stats = call("GET", url + "/sandbox/api/stats?phoneNumberId=" + phoneNumberId, controlToken, null);
            List<Long> perSecond = new ArrayList<>();
            Matcher second = Pattern.compile("\"(\\d{10})\"\\s*:\\s*(\\d+)").matcher(stats.substring(stats.indexOf("acceptedPerSecond")));
            while (second.find()) {
                perSecond.add(Long.parseLong(second.group(2)));
            }
            // Full seconds only: the first and last are partial.
            List<Long> full = perSecond.size() > 2 ? perSecond.subList(1, perSecond.size() - 1) : perSecond;
            double sustained = full.stream().mapToLong(Long::longValue).average().orElse(0);
            long highest = perSecond.stream().mapToLong(Long::longValue).max().orElse(0);
            Matcher refused = Pattern.compile("\"refused\"\\s*:\\s*\\{([^}]*)\\}").matcher(stats);
            String refusals = refused.find() ? refused.group(1) : "";
            Matcher tooFast = Pattern.compile("\"130429\"\\s*:\\s*(\\d+)").matcher(refusals);
            long throughputErrors = tooFast.find() ? Long.parseLong(tooFast.group(1)) : 0;
            Matcher order = Pattern.compile("\"order\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(stats);
            List<String> ids = new ArrayList<>();
            if (order.find()) {
                for (String id : order.group(1).split(",")) {
                    String clean = id.strip().replace("\"", "");
                    if (!clean.isEmpty()) {
                        ids.add(clean);
                    }
                }
            }
            long duplicates = ids.size() - ids.stream().distinct().count();
            int replyPosition = ids.indexOf(replyId);
            String ahead = replyPosition < 0 ? "?" : String.format(Locale.ROOT, "%,d", replyPosition - acceptedWhenQueued);
            Matcher concurrent = Pattern.compile("\"maxConcurrentSends\"\\s*:\\s*(\\d+)").matcher(stats);
            String maxConcurrent = concurrent.find() ? concurrent.group(1) : "?";

            report.append(String.format(Locale.ROOT, """

                    ## Load
                    %,d bulk template messages (`hello_world`) to %,d distinct customers, queued in %.1f s (contacts and
                    conversations seeded in %.1f s), on the demo number with a **%,d messages/s** tier (connection and sandbox).
                    Sandbox switches: %s

                    ## Results
                    | Measure | Value |
                    |---|---|
                    | Sustained rate (mean of the full seconds, as the sandbox counted them) | **%.0f messages/s** (%.1f %% of the tier) |
                    | Highest second | %,d |
                    | Time until the last was sent | %.1f s (%,d messages: %.0f messages/s overall) |
                    | Calls in flight at once (most) | %s |
                    | 130429 refusals (throughput) | %,d |
                    | Other refusals by code | %s |
                    | Duplicates (same message accepted twice) | %,d |
                    | Never sent by the end | %,d |
                    | Agent reply in the middle: API call to Meta's acceptance | %s |
                    | … from the API's answer (queued) to Meta's acceptance (polled every 20 ms) | %s |
                    | … bulk messages Meta accepted between the reply's queueing and its acceptance | %s |

                    Accepted per second: %s
                    """, messages, messages, queueSeconds, seedSeconds, tier, switches.replaceAll("\\s+", " "), sustained, 100.0 * sustained / tier,
                    highest, total, messages, messages / total, maxConcurrent, throughputErrors, refusals.isBlank() ? "none" : refusals,
                    duplicates, never, replyMillis == null ? "not sent within 30 s" : replyMillis + " ms",
                    fromQueued == null ? "-" : fromQueued + " ms", ahead, perSecond));
            InboxBenchmark.update(db, "drop table bench_send");
        }
        Files.createDirectories(reports);
        Path file = reports.resolve("sending-" + runId + ".md");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("Report: " + file);
    }

    private static long accepted(String url, String controlToken, String phoneNumberId) throws Exception {
        Matcher matcher = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)").matcher(call("GET", url + "/sandbox/api/stats?phoneNumberId=" + phoneNumberId,
                controlToken, null));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + name + " in " + json);
        }
        return matcher.group(1);
    }

    private static String call(String method, String url, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
