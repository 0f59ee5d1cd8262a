package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.Fixtures;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Sending at Meta's rate: many Graph calls in flight, each number's rate kept (as the sandbox counts it per second),
 * agents' replies ahead of a bulk backlog, the messaging limit holding bulk messages to new customers until the rolling
 * 24 hours allow, Meta's pacing errors handled as the contract says, and a batch claimed by a node that died taken over
 * without sending anything twice. Assertions are on what the sandbox (Meta's side) received, not on wall-clock time.
 */
class ConcurrentSendingTest extends HexaIntegrationTest {

    private static final OutboundQueue.Sender CAMPAIGN = new OutboundQueue.Sender("CAMPAIGN", UUID.randomUUID(), "Spring sale");

    @Autowired
    SandboxNumbers sandbox;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SendService sendService;
    @Autowired
    ContactService contacts;
    @Autowired
    ConnectionService connections;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        shop = fixtures.withSandboxNumber("Bulk Co");
        customer = shop.customer();
    }

    @AfterEach
    void metaAnswersAtOnceAgain() {
        customer.switches("{\"graphLatencyMs\": 0, \"sendFailures\": 0, \"sendFailurePhoneNumberId\": null, \"statusFailures\": 0}");
        sandbox.find(shop.phoneNumberId()).ifPresent(n -> n.changeMessagesPerSecond(SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND));
    }

    @Test
    void two_hundred_messages_go_out_on_many_calls_at_once_within_the_numbers_rate() {
        rate(100);
        customer.switches("{\"graphLatencyMs\": 100, \"graphLatencyJitterMs\": 10}");
        List<UUID> ids = queueBulk(customers("9198000", 200));

        awaitAllSent(ids, Duration.ofSeconds(30));

        JsonNode seen = sandboxStats();
        assertThat(seen.get("accepted").asInt()).isEqualTo(200);
        assertThat(seen.get("maxConcurrentSends").asInt()).as("calls in flight at once (one after another: 1)").isGreaterThan(5);
        assertThat(seen.get("maxPerSecond").asInt()).as("never more than the number's rate in one of Meta's seconds").isLessThanOrEqualTo(100);
        assertThat(seen.get("refused").has("130429")).as("no send ran into Meta's throughput limit").isFalse();
        assertThat(distinct(seen.get("order"))).as("each message sent once").isEqualTo(200);
    }

    @Test
    void an_agents_reply_jumps_the_bulk_backlog_of_its_number() {
        rate(40);
        customer.writes("919800100001", "Is my order on its way?");
        List<UUID> bulk = queueBulk(customers("9198001", 120));
        Eventually.until(() -> sandboxStats().get("accepted").asInt() >= 10, "the bulk sending to be under way");

        UUID reply;
        int acceptedBefore;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            UUID contact = contacts.byWaId("919800100001").orElseThrow().id();
            acceptedBefore = sandboxStats().get("accepted").asInt();
            reply = sendService.send(new Recipient(contact, shop.number().id()), new MessageToSend.Text("Yes, it arrives tomorrow.", false, null));
        }
        Instant queuedAt = Instant.now();
        awaitAllSent(List.of(reply), Duration.ofSeconds(10));
        Duration took = Duration.between(queuedAt, Instant.now());

        List<String> order = new ArrayList<>();
        sandboxStats().get("order").forEach(id -> order.add(id.asString()));
        int position = order.indexOf(reply.toString());
        assertThat(position).as("the reply went ahead of the bulk messages still waiting").isBetween(0, bulk.size() - 20);
        assertThat(position - acceptedBefore).as("bulk messages that went between the reply's queueing and its sending (40/s)")
                .isLessThan(40);
        assertThat(took).as("the reply left within a second").isLessThan(Duration.ofSeconds(1));
        awaitAllSent(bulk, Duration.ofSeconds(30));
    }

    @Test
    void the_messaging_limit_holds_bulk_messages_to_new_customers_until_the_rolling_day_allows() {
        // Read from the Graph API: the sandbox number's limit set to 250 shows in the connection.
        assertThat(control().send("PATCH", "/sandbox/api/numbers/" + shop.phoneNumberId(), "{\"messagingLimit\": 250}").status()).isEqualTo(200);
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            assertThat(connections.check(shop.number().id()).ok()).isTrue();
        }
        assertThat(limitOf()).isEqualTo(250);
        // A small limit (Meta's smallest is 250) keeps the test short.
        jdbc.sql("update whatsapp_connections set messaging_limit = 3 where id = :id").param("id", shop.number().id()).update();

        List<UUID> first = customers("9198002", 3);
        awaitAllSent(queueBulk(first), Duration.ofSeconds(10));
        List<UUID> fourthAndFifth = customers("9198003", 2);
        List<UUID> later = queueBulk(List.of(fourthAndFifth.get(0), fourthAndFifth.get(1), first.get(0)));

        awaitAllSent(List.of(later.get(2)), Duration.ofSeconds(10));
        Eventually.until(() -> held(later.get(0)) && held(later.get(1)), "the two new customers' messages to be held");
        assertThat(status(later.get(0))).as("held, not failed").isEqualTo("QUEUED");

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        awaitAllSent(later.subList(0, 2), Duration.ofSeconds(10));
    }

    @Test
    void metas_pacing_errors_pause_the_bulk_lane_retry_later_or_give_up_for_the_recipient() {
        rate(80);
        List<UUID> people = customers("9198004", 7);

        // 130472 (experiment) and 131050 (stopped marketing): given up for that recipient, in plain words.
        UUID experiment = bulkFailingWith(131050, people.get(0));
        awaitStatus(experiment, "FAILED");
        assertThat(errorCode(experiment)).isEqualTo(131050);
        assertThat(errorDetails(experiment)).contains("stopped marketing");
        UUID inExperiment = bulkFailingWith(130472, people.get(1));
        awaitStatus(inExperiment, "FAILED");
        assertThat(errorDetails(inExperiment)).contains("experiment");

        // 131056 (pair rate): retried after 4^0 s, then sent.
        UUID pair = bulkFailingWith(131056, people.get(2));
        awaitAllSent(List.of(pair), Duration.ofSeconds(10));

        // 130429 (throughput reached, e.g. another app on the number): the bulk lane pauses a second, the message retries.
        UUID throughput = bulkFailingWith(130429, people.get(6));
        awaitAllSent(List.of(throughput), Duration.ofSeconds(10));

        // 131049 (per-user marketing limit): waits 24 hours, once.
        UUID perUser = bulkFailingWith(131049, people.get(3));
        Eventually.until(() -> attempts(perUser) == 1, "the first attempt to be answered");
        assertThat(status(perUser)).isEqualTo("QUEUED");
        assertThat(nextAttempt(perUser)).isAfter(clock.instant().plus(Duration.ofHours(23)));

        // 131048 (spam rate limit): the number's bulk lane pauses for long; the first lane still sends.
        UUID spam = bulkFailingWith(131048, people.get(4));
        Eventually.until(() -> attempts(spam) == 0 && errorLike(spam, "spam"), "the spam rate limit to be met");
        assertThat(pausedUntil()).isAfter(clock.instant().plus(Duration.ofMinutes(14)));
        UUID another = queueBulk(List.of(people.get(5))).get(0);
        customer.writes("919800400099", "Hello?");
        UUID reply;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            reply = sendService.send(new Recipient(contacts.byWaId("919800400099").orElseThrow().id(), shop.number().id()),
                    new MessageToSend.Text("Hi! How can we help?", false, null));
        }
        awaitAllSent(List.of(reply), Duration.ofSeconds(10));
        assertThat(status(spam)).isEqualTo("QUEUED");
        assertThat(status(another)).as("bulk waits while paused").isEqualTo("QUEUED");
        long refusedBefore = refused(131048);

        clock.advance(Duration.ofHours(25));
        awaitAllSent(List.of(spam, another, perUser), Duration.ofSeconds(15));
        assertThat(refused(131048)).as("never hammered: the paused lane made no call").isEqualTo(refusedBefore);
    }

    @Autowired
    Connections connectionRows;

    @Test
    void too_fast_answers_to_calls_made_together_are_one_pause_and_a_graver_error_still_rests_the_lane_long() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        UUID tenant = shop.workspace().id();
        UUID number = shop.number().id();
        // Several calls under way together all hear 130429: the first pauses the lane a second, the others do not stack
        // up (2, 4, 8… seconds) but at most keep it a second from their own answer.
        for (int i = 0; i < 6; i++) {
            assertThat(connectionRows.pauseBulk(tenant, number, Duration.ofSeconds(1), Duration.ofMinutes(1), "too fast", now.plusMillis(i)))
                    .isEqualTo(now.plusSeconds(1).plusMillis(i));
        }
        assertThat(jdbc.sql("select bulk_pauses from whatsapp_connections where id = :id").param("id", number).query(Integer.class).single()).isEqualTo(1);
        // After the pause, the next "too fast" is a pause in a row: twice as long.
        assertThat(connectionRows.pauseBulk(tenant, number, Duration.ofSeconds(1), Duration.ofMinutes(1), "too fast", now.plusSeconds(2)))
                .isEqualTo(now.plusSeconds(4));
        assertThat(jdbc.sql("select bulk_pauses from whatsapp_connections where id = :id").param("id", number).query(Integer.class).single()).isEqualTo(2);
        // Spam rate limit met during a short pause: the lane rests its quarter hour all the same, and says why.
        assertThat(connectionRows.pauseBulk(tenant, number, Duration.ofMinutes(15), Duration.ofHours(6), "spam", now.plusSeconds(3)))
                .isEqualTo(now.plusSeconds(3).plus(Duration.ofMinutes(15)));
        assertThat(jdbc.sql("select bulk_pause_reason from whatsapp_connections where id = :id").param("id", number).query(String.class).single())
                .isEqualTo("spam");
    }

    @Test
    void a_per_user_marketing_limit_reported_later_by_status_sends_the_message_again_once_after_a_day() {
        customer.switches("{\"statusFailures\": 1, \"statusFailureCode\": 131049, \"statusFailurePhoneNumberId\": \"" + shop.phoneNumberId() + "\"}");
        UUID id = queueBulk(customers("9198006", 1)).get(0);

        Eventually.until(() -> jdbc.sql("select status = 'QUEUED' and attempts = 1 and wamid is null and next_attempt_at is not null from messages where id = :id")
                .param("id", id).query(Boolean.class).single(), "the message to be queued again after Meta's failed status");
        assertThat(nextAttempt(id)).isAfter(clock.instant().plus(Duration.ofHours(23)));
        clock.advance(Duration.ofHours(25));
        awaitAllSent(List.of(id), Duration.ofSeconds(10));
    }

    @Test
    void a_batch_claimed_by_a_node_that_died_is_taken_over_after_its_lease_and_nothing_is_sent_twice() {
        List<UUID> people = customers("9198005", 10);
        // Queued, then (in the same transaction, before the sender sees them) claimed by a node that died 3 minutes ago.
        List<UUID> ids = new org.springframework.transaction.support.TransactionTemplate(transactions).execute(status -> {
            try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
                List<UUID> queued = sendService.queueBulk(shop.number().id(), CAMPAIGN, recipients(people), SendService.WhenUncertain.RESEND);
                jdbc.sql("update messages set send_started_at = :started, next_attempt_at = :leaseEnded where id = any(:ids)")
                        .param("started", hexa.platform.database.Sql.ts(clock.instant().minus(Duration.ofMinutes(3))))
                        .param("leaseEnded", hexa.platform.database.Sql.ts(clock.instant().minus(Duration.ofMinutes(1))))
                        .param("ids", queued.toArray(new UUID[0])).update();
                return queued;
            }
        });
        // Meta had accepted the first half before the node died.
        for (int i = 0; i < 5; i++) {
            acceptedByMeta(ids.get(i));
        }

        awaitAllSent(ids.subList(0, 5), Duration.ofSeconds(15));
        Eventually.until(() -> ids.subList(5, 10).stream().allMatch(id -> jdbc.sql("select uncertain_since is not null from messages where id = :id")
                .param("id", id).query(Boolean.class).single()), "the unanswered half to be held as uncertain");
        // Webhooks flow again, and the hold passes: the other half goes, once.
        customer.writes("919800599999", "Hello");
        clock.advance(Duration.ofMinutes(4));
        customer.writes("919800599999", "Anyone?");
        clock.advance(Duration.ofMinutes(8));
        awaitAllSent(ids.subList(5, 10), Duration.ofSeconds(15));

        List<String> order = new ArrayList<>();
        sandboxStats().get("order").forEach(id -> order.add(id.asString()));
        for (UUID id : ids) {
            assertThat(order.stream().filter(id.toString()::equals).count()).as("message %s reached Meta once", id).isEqualTo(1);
        }
    }

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    // --- helpers

    private void rate(int messagesPerSecond) {
        jdbc.sql("update whatsapp_connections set messages_per_second = :rate where id = :id").param("rate", messagesPerSecond)
                .param("id", shop.number().id()).update();
        sandbox.find(shop.phoneNumberId()).orElseThrow().changeMessagesPerSecond(messagesPerSecond);
    }

    /** {@code count} new contacts, phone numbers {@code prefix} followed by digits. */
    private List<UUID> customers(String prefix, int count) {
        List<WhatsAppIdentity> identities = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            identities.add(new WhatsAppIdentity(prefix + String.format("%05d", i), null, null));
        }
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            return contacts.identifyAll(identities);
        }
    }

    private static List<SendService.BulkRecipient> recipients(List<UUID> people) {
        return people.stream().map(c -> new SendService.BulkRecipient(c, new MessageToSend.Template("hello_world", "en_US", List.of(), List.of())))
                .toList();
    }

    private List<UUID> queueBulk(List<UUID> people) {
        return new org.springframework.transaction.support.TransactionTemplate(transactions).execute(status -> {
            try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
                return sendService.queueBulk(shop.number().id(), CAMPAIGN, recipients(people), SendService.WhenUncertain.NEVER_RESEND);
            }
        });
    }

    private UUID bulkFailingWith(int code, UUID person) {
        customer.switches("{\"sendFailures\": 1, \"sendFailureCode\": " + code + ", \"sendFailurePhoneNumberId\": \"" + shop.phoneNumberId() + "\"}");
        return queueBulk(List.of(person)).get(0);
    }

    private void awaitAllSent(List<UUID> ids, Duration patience) {
        Eventually.until(() -> jdbc.sql("select count(*) from messages where id = any(:ids) and wamid is not null")
                .param("ids", ids.toArray(new UUID[0])).query(Integer.class).single() == ids.size(), ids.size() + " messages to be sent", patience);
    }

    private void awaitStatus(UUID id, String status) {
        Eventually.until(() -> status.equals(status(id)), "message " + id + " to be " + status);
    }

    private String status(UUID id) {
        return jdbc.sql("select status from messages where id = :id").param("id", id).query(String.class).single();
    }

    private int attempts(UUID id) {
        return jdbc.sql("select attempts from messages where id = :id").param("id", id).query(Integer.class).single();
    }

    private boolean errorLike(UUID id, String words) {
        return jdbc.sql("select coalesce(last_error, '') like :words from messages where id = :id").param("id", id).param("words", "%" + words + "%")
                .query(Boolean.class).single();
    }

    private Integer errorCode(UUID id) {
        return jdbc.sql("select error_code from messages where id = :id").param("id", id).query(Integer.class).single();
    }

    private String errorDetails(UUID id) {
        return jdbc.sql("select error_details from messages where id = :id").param("id", id).query(String.class).single();
    }

    private Instant nextAttempt(UUID id) {
        return jdbc.sql("select next_attempt_at from messages where id = :id").param("id", id)
                .query((rs, n) -> hexa.platform.database.Sql.instant(rs, "next_attempt_at")).single();
    }

    private boolean held(UUID id) {
        return jdbc.sql("select status = 'QUEUED' and last_error like 'Waiting%' and next_attempt_at > :soon from messages where id = :id")
                .param("id", id).param("soon", hexa.platform.database.Sql.ts(clock.instant().plus(Duration.ofHours(23))))
                .query(Boolean.class).single();
    }

    private Integer limitOf() {
        return jdbc.sql("select messaging_limit from whatsapp_connections where id = :id").param("id", shop.number().id())
                .query((rs, n) -> (Integer) rs.getObject(1)).single();
    }

    private Instant pausedUntil() {
        return jdbc.sql("select bulk_paused_until from whatsapp_connections where id = :id").param("id", shop.number().id())
                .query((rs, n) -> hexa.platform.database.Sql.instant(rs, "bulk_paused_until")).single();
    }

    private void acceptedByMeta(UUID id) {
        String to = jdbc.sql("select c.wa_id from messages m join contacts c on c.tenant_id = m.tenant_id and c.id = m.contact_id where m.id = :id")
                .param("id", id).query(String.class).single();
        new ApiClient(baseUrl(), sandbox.find(shop.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + shop.phoneNumberId() + "/messages",
                "{\"messaging_product\": \"whatsapp\", \"to\": \"" + to + "\", \"type\": \"template\", \"template\": {\"name\": \"hello_world\","
                        + " \"language\": {\"code\": \"en_US\"}}, \"biz_opaque_callback_data\": \"" + id + "\"}");
    }

    private long refused(int code) {
        return sandboxStats().get("refused").path(Integer.toString(code)).asLong(0);
    }

    private JsonNode sandboxStats() {
        return ApiClient.json(control().get("/sandbox/api/stats?phoneNumberId=" + shop.phoneNumberId()));
    }

    private ApiClient control() {
        return sandboxControl();
    }

    private static long distinct(JsonNode order) {
        List<String> ids = new ArrayList<>();
        order.forEach(id -> ids.add(id.asString()));
        return ids.stream().distinct().count();
    }
}
