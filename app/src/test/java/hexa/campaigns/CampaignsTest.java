package hexa.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.contacts.ConsentService;
import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns through the API, sent through the sandbox: who is excluded and why, each recipient's variables with their
 * fallbacks, scheduling at a time and at each recipient's local hour on a moved clock, pause, resume and cancel (what is
 * still queued taken back), several numbers sharing one campaign's recipients, and exactly once across a node that died
 * with a chunk half handed over. What the sandbox (Meta's side) received is the proof, not our own tables alone.
 */
class CampaignsTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ContactService contacts;
    @Autowired
    ConsentService consent;
    @Autowired
    SandboxNumbers sandbox;
    @Autowired
    CampaignDispatcher dispatcher;
    @Autowired
    CampaignPrices prices;
    @Autowired
    PlatformTransactionManager transactions;

    private Fixtures.SandboxWorkspace shop;
    private ApiClient api;

    @BeforeEach
    void aShopWithANumber() {
        shop = fixtures.withSandboxNumber("Campaign Co");
        api = api(fixtures.apiToken(shop.workspace(), Role.SUPERVISOR));
    }

    @AfterEach
    void realRateAgain() {
        sandbox.find(shop.phoneNumberId()).ifPresent(n -> n.changeMessagesPerSecond(SandboxNumbers.DEFAULT_MESSAGES_PER_SECOND));
    }

    @Test
    void recipients_are_excluded_by_reason_and_the_rest_get_their_own_variables_with_fallbacks() {
        approvedTemplate("spring_offer", "MARKETING", "Hello {{1}}, a code for {{2}}: SPRING.", 2);
        UUID anna = contact("{\"name\": \"Anna Berg\", \"phone\": \"+49 151 1000 0001\", \"company\": \"Berg GmbH\"}", "opted_in", "vip");
        UUID gus = contact("{\"phone\": \"+49 151 1000 0002\", \"company\": \"Acme\"}", "opted_in", "vip");
        UUID noConsent = contact("{\"name\": \"Ben\", \"phone\": \"+49 151 1000 0003\", \"company\": \"B\"}", null, "vip");
        UUID optedOut = contact("{\"name\": \"Carl\", \"phone\": \"+49 151 1000 0004\", \"company\": \"C\"}", "opted_out", "vip");
        UUID blocked = contact("{\"name\": \"Dora\", \"phone\": \"+49 151 1000 0005\", \"company\": \"D\"}", "opted_in", "vip");
        assertThat(api.send("POST", "/api/v1/contacts/" + blocked + "/block", "{}").status()).isBetween(200, 299);
        UUID staff = contact("{\"name\": \"Emil\", \"phone\": \"+49 151 1000 0006\", \"company\": \"E\"}", "opted_in", "vip");
        assertThat(api.send("PUT", "/api/v1/contacts/" + staff + "/tags/staff", null).status()).isEqualTo(200);
        UUID noCompany = contact("{\"name\": \"Fay\", \"phone\": \"+49 151 1000 0007\"}", "opted_in", "vip");
        UUID noNumber = contact("{\"name\": \"Hal\", \"whatsappUserId\": \"DE.hal-0008\", \"company\": \"H\"}", "opted_in", "vip");
        UUID notInAudience = contact("{\"name\": \"Ida\", \"phone\": \"+49 151 1000 0009\", \"company\": \"I\"}", "opted_in", null);

        JsonNode created = created(api.send("POST", "/api/v1/campaigns", """
                {"name": "Spring offer", "template": {"name": "spring_offer", "language": "en_US"},
                 "variables": {"body": [{"source": "FIELD", "key": "firstName", "fallback": "there"}, {"source": "FIELD", "key": "company"}]},
                 "audience": {"tags": ["VIP"], "match": "ANY"}, "excludeTags": ["staff"]}
                """));
        assertThat(created.get("status").asString()).isEqualTo("DRAFT");
        assertThat(created.get("template").get("category").asString()).isEqualTo("MARKETING");
        assertThat(created.get("numbers").get(0).asString()).isEqualTo(shop.phoneNumberId());
        String id = created.get("id").asString();

        JsonNode started = ApiClient.json(api.send("POST", "/api/v1/campaigns/" + id + "/schedule", null));
        assertThat(started.get("status").asString()).isIn("PREPARING", "SENDING");
        JsonNode finished = awaitStatus(id, "FINISHED");

        JsonNode funnel = finished.get("funnel");
        assertThat(funnel.get("recipients").asLong()).isEqualTo(2);
        assertThat(funnel.get("excluded").get("NO_CONSENT").asLong()).isEqualTo(1);
        assertThat(funnel.get("excluded").get("OPTED_OUT").asLong()).isEqualTo(1);
        assertThat(funnel.get("excluded").get("BLOCKED").asLong()).isEqualTo(1);
        assertThat(funnel.get("excluded").get("EXCLUDED_TAG").asLong()).isEqualTo(1);
        assertThat(funnel.get("excluded").get("MISSING_VARIABLE").asLong()).isEqualTo(1);
        assertThat(funnel.get("excluded").get("NO_WHATSAPP").asLong()).isEqualTo(1);
        assertThat(funnel.get("waiting").asLong()).isZero();
        assertThat(exclusion(id, noConsent)).isEqualTo("NO_CONSENT");
        assertThat(exclusion(id, optedOut)).isEqualTo("OPTED_OUT");
        assertThat(exclusion(id, blocked)).isEqualTo("BLOCKED");
        assertThat(exclusion(id, staff)).isEqualTo("EXCLUDED_TAG");
        assertThat(exclusion(id, noCompany)).isEqualTo("MISSING_VARIABLE");
        assertThat(exclusion(id, noNumber)).isEqualTo("NO_WHATSAPP");
        assertThat(jdbc.sql("select count(*) from campaign_recipients where campaign_id = :c and contact_id = :k").param("c", UUID.fromString(id))
                .param("k", notInAudience).query(Long.class).single()).isZero();

        // Each got their own values, the fallback where they had none; both were reached at their number (never written).
        assertThat(sentBody(id, anna)).contains("\"text\": \"Anna\"").contains("\"text\": \"Berg GmbH\"");
        assertThat(sentBody(id, gus)).contains("\"text\": \"there\"").contains("\"text\": \"Acme\"");
        Eventually.until(() -> acceptedByMeta(id) == 2, "both messages to be accepted by the sandbox");
        assertThat(jdbc.sql("select country from campaign_recipients where campaign_id = :c and contact_id = :k").param("c", UUID.fromString(id))
                .param("k", anna).query(String.class).single()).isEqualTo("DE");

        // The recipients' list, by state and by name.
        JsonNode queued = ApiClient.json(api.get("/api/v1/campaigns/" + id + "/recipients?state=excluded&q=carl"));
        assertThat(queued.get("items")).hasSize(1);
        assertThat(queued.get("items").get(0).get("exclusion").asString()).isEqualTo("OPTED_OUT");
        // The preview shows the message as the recipients get it.
        JsonNode preview = ApiClient.json(api.get("/api/v1/campaigns/" + id + "/preview?sample=5"));
        assertThat(preview.get("items").toString()).contains("Hello Anna, a code for Berg GmbH: SPRING.");
        // Its cost was estimated when the audience was complete: two marketing messages to Germany, at the price table's rate.
        JsonNode cost = ApiClient.json(api.get("/api/v1/campaigns/" + id)).get("funnel").get("cost");
        assertThat(cost.get("estimate").decimalValue()).isEqualByComparingTo(prices.price("MARKETING", "DE").multiply(java.math.BigDecimal.valueOf(2)));
        // The recipients as CSV, each with their state.
        Response csv = api.get("/api/v1/campaigns/" + id + "/recipients.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.text().lines().count()).as(csv.text()).isEqualTo(1 + 8);
        assertThat(csv.text()).contains("Anna").contains("Carl");
        // "Send again to those who did not read": a new draft whose audience is this campaign's unread recipients.
        Response followUp = api.send("POST", "/api/v1/campaigns/" + id + "/follow-up", "{\"rule\": \"NOT_READ\"}");
        assertThat(followUp.status()).as(followUp.text()).isEqualTo(201);
        assertThat(ApiClient.json(followUp).get("status").asString()).isEqualTo("DRAFT");
        assertThat(ApiClient.json(followUp).get("audience").get("followUpOf").asString()).isEqualTo(id);
        assertThat(api.send("POST", "/api/v1/campaigns/" + id + "/follow-up", "{\"rule\": \"NOT_OPENED\"}").status()).isEqualTo(400);
        // Audited, with its own label.
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'campaign.started' and target_id = :c")
                .param("t", shop.id()).param("c", id).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_campaign_scheduled_at_a_time_in_a_zone_waits_for_it() {
        List<UUID> people = optedIn("4915120000", 3);
        tag(people, "spring");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        java.time.LocalDateTime at = clock.instant().plus(Duration.ofHours(3)).atZone(berlin).toLocalDateTime().withSecond(0).withNano(0);
        String id = created(api.send("POST", "/api/v1/campaigns", helloWorld("Later", "{\"tags\": [\"spring\"]}"))).get("id").asString();

        JsonNode scheduled = ApiClient.json(api.send("POST", "/api/v1/campaigns/" + id + "/schedule",
                "{\"schedule\": {\"at\": \"" + at + "\", \"timeZone\": \"Europe/Berlin\"}}"));
        assertThat(scheduled.get("status").asString()).isEqualTo("SCHEDULED");
        assertThat(scheduled.get("schedule").get("timeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(Instant.parse(scheduled.get("sendAt").asString())).isEqualTo(at.atZone(berlin).toInstant());
        sleep(1_500);
        assertThat(status(id)).as("nothing happens before its time").isEqualTo("SCHEDULED");

        clock.advance(Duration.ofHours(3).plusMinutes(1));
        awaitStatus(id, "FINISHED");
        Eventually.until(() -> acceptedByMeta(id) == 3, "the three messages to reach the sandbox");
    }

    @Test
    void a_campaign_at_a_local_hour_reaches_each_recipient_at_that_hour_of_their_own_day() {
        List<UUID> germans = optedIn("4915130000", 2);
        List<UUID> indians = optedIn("9198300000", 2);
        tag(germans, "local");
        tag(indians, "local");
        LocalDate date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(2);
        String id = created(api.send("POST", "/api/v1/campaigns", helloWorld("Morning", "{\"tags\": [\"local\"]}"))).get("id").asString();
        JsonNode scheduled = ApiClient.json(api.send("POST", "/api/v1/campaigns/" + id + "/schedule",
                "{\"localHour\": 10, \"date\": \"" + date + "\"}"));
        assertThat(scheduled.get("status").asString()).isEqualTo("SCHEDULED");
        assertThat(scheduled.get("schedule").get("localHour").asInt()).isEqualTo(10);

        // The first zone of the world reaches 10:00 that day: the audience is prepared, each with their own time.
        moveClockTo(date.atTime(10, 0).atZone(ZoneId.of("+14:00")).toInstant().plusSeconds(30));
        awaitStatus(id, "SENDING");
        Instant kolkata = date.atTime(10, 0).atZone(ZoneId.of("Asia/Kolkata")).toInstant();
        Instant berlin = date.atTime(10, 0).atZone(ZoneId.of("Europe/Berlin")).toInstant();
        assertThat(dueAt(id, indians.get(0))).isEqualTo(kolkata);
        assertThat(dueAt(id, germans.get(0))).isEqualTo(berlin);
        sleep(1_000);
        assertThat(state(id, indians.get(0))).isEqualTo("WAITING");

        moveClockTo(kolkata.plusSeconds(30));
        Eventually.until(() -> "QUEUED".equals(state(id, indians.get(1))), "the Indian recipients to be handed over at 10:00 in Kolkata");
        assertThat(state(id, germans.get(0))).as("still night in Berlin").isEqualTo("WAITING");

        moveClockTo(berlin.plusSeconds(30));
        awaitStatus(id, "FINISHED");
        Eventually.until(() -> acceptedByMeta(id) == 4, "all four messages to reach the sandbox");
    }

    @Test
    void pause_holds_the_rest_resume_goes_on_and_cancel_takes_back_what_is_still_queued() {
        // 16 a second: the backlog is the least, 50. The number's bulk lane is held (as after Meta's spam rate limit), so
        // what the campaign hands over stays in the send queue where a cancellation can take it back.
        rate(16);
        jdbc.sql("update whatsapp_connections set bulk_paused_until = now() + interval '1 hour' where id = :id").param("id", shop.number().id()).update();
        List<UUID> people = optedIn("4915140000", 80);
        tag(people, "slow");
        String id = created(api.send("POST", "/api/v1/campaigns", helloWorld("Slow", "{\"tags\": [\"slow\"]}"))).get("id").asString();

        Response early = api.send("POST", "/api/v1/campaigns/" + id + "/pause", null);
        assertThat(early.status()).isEqualTo(409);
        assertThat(ApiClient.json(early).get("message").asString()).contains("Slow").contains("draft").contains("paused");

        api.send("POST", "/api/v1/campaigns/" + id + "/schedule", "{}");
        awaitStatus(id, "SENDING");
        // A bounded backlog: a few seconds of the number's rate (at least 50); the rest waits with the campaign.
        Eventually.until(() -> count(id, "QUEUED") == CampaignDispatcher.MIN_BACKLOG, "the backlog to be handed over");
        sleep(1_000);
        assertThat(count(id, "QUEUED")).isEqualTo(CampaignDispatcher.MIN_BACKLOG);
        assertThat(count(id, "WAITING")).isEqualTo(30);

        JsonNode paused = ApiClient.json(api.send("POST", "/api/v1/campaigns/" + id + "/pause", null));
        assertThat(paused.get("status").asString()).isEqualTo("PAUSED");
        Response twice = api.send("POST", "/api/v1/campaigns/" + id + "/pause", null);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(ApiClient.json(twice).get("message").asString()).contains("paused");

        Response resumed = api.send("POST", "/api/v1/campaigns/" + id + "/resume", null);
        assertThat(ApiClient.json(resumed).get("status").asString()).isEqualTo("SENDING");
        assertThat(api.send("POST", "/api/v1/campaigns/" + id + "/resume", null).status()).isEqualTo(409);

        JsonNode cancelled = ApiClient.json(api.send("POST", "/api/v1/campaigns/" + id + "/cancel", null));
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("funnel").get("cancelled").asLong()).as("the waiting and those taken back from the send queue").isEqualTo(80);
        assertThat(count(id, "WAITING")).isZero();
        assertThat(jdbc.sql("select count(*) from messages where sent_by = :c and status = 'FAILED' and error_title like 'Not sent: the campaign was cancelled%'")
                .param("c", UUID.fromString(id)).query(Long.class).single()).isEqualTo(CampaignDispatcher.MIN_BACKLOG);
        assertThat(jdbc.sql("select count(*) from messages where sent_by = :c and status = 'QUEUED'").param("c", UUID.fromString(id))
                .query(Long.class).single()).isZero();
        // The number's bulk lane opens again: nothing of the cancelled campaign leaves.
        jdbc.sql("update whatsapp_connections set bulk_paused_until = null where id = :id").param("id", shop.number().id()).update();
        sleep(2_000);
        assertThat(acceptedByMeta(id)).isZero();
        assertThat(api.send("POST", "/api/v1/campaigns/" + id + "/cancel", null).status()).isEqualTo(409);
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and target_id = :c and action in"
                        + " ('campaign.started', 'campaign.paused', 'campaign.resumed', 'campaign.cancelled')")
                .param("t", shop.id()).param("c", id).query(Long.class).single()).isEqualTo(4);
    }

    @Test
    void several_numbers_share_one_campaigns_recipients_each_getting_it_once() {
        Fixtures.SandboxWorkspace second = fixtures.withSandboxNumber(shop.workspace());
        // 16 a second: each number's backlog is the least, 50, so that one number alone cannot take all 60.
        rate(shop, 16);
        rate(second, 16);
        List<UUID> people = optedIn("4915150000", 60);
        tag(people, "shared");
        JsonNode created = created(api.send("POST", "/api/v1/campaigns", """
                {"name": "Shared", "template": {"name": "hello_world", "language": "en_US"}, "audience": {"tags": ["shared"]},
                 "numbers": ["%s", "%s"]}
                """.formatted(shop.phoneNumberId(), second.phoneNumberId())));
        assertThat(created.get("numbers")).hasSize(2);
        String id = created.get("id").asString();
        api.send("POST", "/api/v1/campaigns/" + id + "/schedule", null);
        awaitStatus(id, "FINISHED");

        Map<UUID, Long> byNumber = new HashMap<>();
        jdbc.sql("select connection_id, count(*) as n from campaign_recipients where campaign_id = :c group by connection_id")
                .param("c", UUID.fromString(id)).query((rs, n) -> byNumber.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        assertThat(byNumber.keySet()).containsExactlyInAnyOrder(shop.number().id(), second.number().id());
        assertThat(byNumber.values()).allMatch(n -> n > 0);
        assertThat(jdbc.sql("select count(distinct contact_id) = count(*) and count(*) = 60 from messages where sent_by = :c")
                .param("c", UUID.fromString(id)).query(Boolean.class).single()).as("one message per recipient, none forgotten").isTrue();
        Eventually.until(() -> acceptedByMeta(id) == 60, "sixty messages at Meta");
    }

    /**
     * A node hands a chunk over and dies before its transaction commits: the chunk's messages vanish with it and its
     * recipients wait again. Another hands a chunk over and dies right after committing: those are sent, and not again.
     * The dispatcher then finishes the rest; every recipient reaches Meta exactly once.
     */
    @Test
    void a_chunk_handed_over_by_a_node_that_died_is_sent_exactly_once() {
        List<UUID> people = optedIn("4915160000", 40);
        tag(people, "crash");
        LocalDate date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(2);
        String id = created(api.send("POST", "/api/v1/campaigns", helloWorld("Crash", "{\"tags\": [\"crash\"]}"))).get("id").asString();
        api.send("POST", "/api/v1/campaigns/" + id + "/schedule", "{\"localHour\": 10, \"date\": \"" + date + "\"}");
        moveClockTo(date.atTime(10, 0).atZone(ZoneId.of("+14:00")).toInstant().plusSeconds(30));
        awaitStatus(id, "SENDING");
        Instant due = date.atTime(10, 0).atZone(ZoneId.of("Europe/Berlin")).toInstant();
        UUID campaign = UUID.fromString(id);

        // Died before the commit.
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        int[] handed = new int[1];
        transaction.executeWithoutResult(status -> {
            try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
                handed[0] = dispatcher.dispatchChunk(campaign, shop.number().id(), 15, due);
                assertThat(jdbc.sql("select count(*) from messages where sent_by = :c").param("c", campaign).query(Long.class).single())
                        .as("messages written in the dying transaction").isEqualTo(15);
            }
            status.setRollbackOnly();
        });
        assertThat(handed[0]).isEqualTo(15);
        assertThat(count(id, "WAITING")).as("the chunk's recipients wait again").isEqualTo(40);
        assertThat(jdbc.sql("select count(*) from messages where sent_by = :c").param("c", campaign).query(Long.class).single()).isZero();

        // Died right after the commit.
        transaction.executeWithoutResult(status -> {
            try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
                dispatcher.dispatchChunk(campaign, shop.number().id(), 10, due);
            }
        });
        assertThat(count(id, "QUEUED")).isEqualTo(10);

        // The restarted dispatcher goes on at the recipients' time.
        moveClockTo(due.plusSeconds(30));
        awaitStatus(id, "FINISHED");
        Eventually.until(() -> acceptedByMeta(id) == 40, "forty messages at Meta");
        assertThat(jdbc.sql("select count(*) = count(distinct contact_id) and count(*) = 40 from messages where sent_by = :c")
                .param("c", campaign).query(Boolean.class).single()).as("one message per recipient").isTrue();
        List<String> order = new ArrayList<>();
        ApiClient.json(sandboxControl().get("/sandbox/api/stats?phoneNumberId=" + shop.phoneNumberId())).get("order").forEach(m -> order.add(m.asString()));
        List<String> ours = jdbc.sql("select id::text from messages where sent_by = :c").param("c", campaign).query(String.class).list();
        for (String message : ours) {
            assertThat(order.stream().filter(message::equals).count()).as("message %s reached Meta once", message).isEqualTo(1);
        }
    }

    @Test
    void bad_input_is_refused_with_a_clear_message_and_another_workspaces_campaign_is_not_found() {
        assertBad("{\"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]}}", "name");
        assertBad("{\"name\": \"X\", \"audience\": {\"tags\": [\"x\"]}}", "template");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {}}", "audience");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"], \"match\": \"SOME\"}}",
                "ANY or ALL");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"segmentId\": \""
                + UUID.randomUUID() + "\"}}", "segment");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"variables\": {\"body\": [{\"source\": \"FIELD\", \"key\": \"shoeSize\"}]}}", "shoeSize");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"numbers\": [\"999\"]}", "999");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"schedule\": {\"at\": \"2026-12-24T09:00\", \"timeZone\": \"Mars/Olympus\"}}", "Mars/Olympus");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"schedule\": {\"localHour\": 25, \"date\": \"2030-01-01\"}}", "0 to 23");
        approvedTemplate("two_values", "UTILITY", "Your order {{1}} ships on {{2}}.", 2);
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"two_values\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"variables\": {\"body\": [{\"source\": \"TEXT\", \"key\": \"A1\"}]}}", "2 variable(s)");
        assertThat(jdbc.sql("select count(*) from campaigns where tenant_id = :t").param("t", shop.id()).query(Long.class).single())
                .as("nothing was written").isZero();

        String id = created(api.send("POST", "/api/v1/campaigns", helloWorld("Mine", "{\"tags\": [\"x\"]}"))).get("id").asString();
        Response past = api.send("POST", "/api/v1/campaigns/" + id + "/schedule", "{\"at\": \"2020-01-01T09:00\", \"timeZone\": \"Europe/Berlin\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(ApiClient.json(past).get("message").asString()).contains("already passed");
        assertThat(status(id)).isEqualTo("DRAFT");

        ApiClient other = api(fixtures.apiToken(fixtures.withSandboxNumber("Other Co").workspace(), Role.ADMIN));
        assertThat(other.get("/api/v1/campaigns/" + id).status()).isEqualTo(404);
        assertThat(other.send("POST", "/api/v1/campaigns/" + id + "/schedule", null).status()).isEqualTo(404);
        assertThat(other.send("POST", "/api/v1/campaigns/" + id + "/cancel", null).status()).isEqualTo(404);
        assertThat(ApiClient.json(other.get("/api/v1/campaigns")).get("items")).isEmpty();
        JsonNode list = ApiClient.json(api.get("/api/v1/campaigns?limit=1"));
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).get("id").asString()).isEqualTo(id);
    }

    @Test
    void an_uploaded_file_chooses_the_audience_creating_contacts_and_recording_consent() {
        UUID known = contact("{\"name\": \"Known\", \"phone\": \"+49 151 1700 0001\"}", "opted_in", null);
        String csv = "Phone,Name,Consent\n+49 151 1700 0001,Known,yes\n+49 151 1700 0002,New One,yes\n+49 151 1700 0003,Said No,no\nnot a number,X,yes\n";
        JsonNode created = created(api.send("POST", "/api/v1/campaigns", """
                {"name": "From a file", "template": {"name": "hello_world", "language": "en_US"}, "audience": {"upload": %s}, "uploadName": "fair.csv"}
                """.formatted(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(csv))));
        assertThat(created.get("audience").get("upload").asString()).isEqualTo("fair.csv");
        String id = created.get("id").asString();
        UUID newOne = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = '4915117000002'").param("t", shop.id()).query(UUID.class).single();
        assertThat(jdbc.sql("select marketing_consent from contacts where id = :id").param("id", newOne).query(String.class).single()).isEqualTo("opted_in");

        api.send("POST", "/api/v1/campaigns/" + id + "/schedule", null);
        JsonNode funnel = awaitStatus(id, "FINISHED").get("funnel");
        assertThat(funnel.get("recipients").asLong()).isEqualTo(2);
        assertThat(funnel.get("excluded").get("OPTED_OUT").asLong()).isEqualTo(1);
        assertThat(state(id, known)).isIn("QUEUED", "SENT", "DELIVERED", "READ");
        assertThat(state(id, newOne)).isIn("QUEUED", "SENT", "DELIVERED", "READ");
    }

    /**
     * A template with an image header: the file is one upload of the workspace, sent to Meta once for the number and
     * then reused by every recipient (and by the next campaign with it); files that do not fit are refused, changing nothing.
     */
    @Test
    void a_media_header_is_uploaded_to_meta_once_and_every_recipient_gets_the_same_file() {
        approvedImageTemplate("spring_sale_photo", "Hello {{1}}, our spring sale starts today.");
        byte[] photo = file("\u00ff\u00d8\u00ff\u00e0", 30_000);
        Response uploaded = api.upload("/api/v1/media", "file", "sale.jpg", "image/jpeg", photo);
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        String upload = ApiClient.json(uploaded).get("id").asString();
        Response pdf = api.upload("/api/v1/media", "file", "prices.pdf", "application/pdf",
                file("%PDF-1.4\n", 5_000));
        String document = ApiClient.json(pdf).get("id").asString();
        String otherWorkspacesUpload = ApiClient.json(api(fixtures.apiToken(fixtures.withSandboxNumber("Photo Thieves").workspace(), Role.ADMIN))
                .upload("/api/v1/media", "file", "theirs.jpg", "image/jpeg", photo)).get("id").asString();
        String template = "\"template\": {\"name\": \"spring_sale_photo\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"photo\"]}";
        String body = "\"body\": [{\"source\": \"FIELD\", \"key\": \"firstName\", \"fallback\": \"there\"}]";

        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \""
                + UUID.randomUUID() + "\"}], " + body + "}}", "no such upload");
        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \""
                + otherWorkspacesUpload + "\"}], " + body + "}}", "no such upload");
        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \"sale.jpg\"}], "
                + body + "}}", "POST /api/v1/media");
        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \"" + document
                + "\"}], " + body + "}}", "application/pdf");
        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {" + body + "}}", "IMAGE header");
        assertBad("{\"name\": \"X\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \"" + upload
                + "\"}], \"body\": [{\"source\": \"MEDIA\", \"key\": \"" + upload + "\"}]}}", "variables.body");
        assertBad("{\"name\": \"X\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": {\"tags\": [\"x\"]},"
                + " \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \"" + upload + "\"}]}}", "no image, video or document header");
        assertThat(jdbc.sql("select count(*) from campaigns where tenant_id = :t").param("t", shop.id()).query(Long.class).single())
                .as("nothing was written").isZero();

        // Through the messages API too, the template's header takes only its own kind of file.
        Response wrongKind = api.send("POST", "/api/v1/messages", """
                {"to": "+49 151 8000 0099", "type": "template", "template": {"name": "spring_sale_photo", "language": {"code": "en_US"},
                 "components": [{"type": "header", "parameters": [{"type": "video", "video": {"id": "1234"}}]},
                                {"type": "body", "parameters": [{"type": "text", "text": "Anna"}]}]}}
                """);
        assertThat(wrongKind.status()).as(wrongKind.text()).isEqualTo(400);
        assertThat(ApiClient.json(wrongKind).get("message").asString()).contains("header of format IMAGE").contains("cannot carry video");

        List<UUID> people = optedIn("4915180000", 5);
        tag(people, "photo");
        String campaign = "{\"name\": \"Spring photo\", " + template + ", \"variables\": {\"header\": [{\"source\": \"MEDIA\", \"key\": \""
                + upload + "\"}], " + body + "}}";
        String id = created(api.send("POST", "/api/v1/campaigns", campaign)).get("id").asString();
        long uploadsBefore = shop.customer().stat("mediaUploads");
        api.send("POST", "/api/v1/campaigns/" + id + "/schedule", null);
        assertThat(awaitStatus(id, "FINISHED").get("funnel").get("recipients").asLong()).isEqualTo(5);
        Eventually.until(() -> acceptedByMeta(id) == 5, "the five messages to reach the sandbox");

        assertThat(shop.customer().stat("mediaUploads")).as("the file went to Meta once").isEqualTo(uploadsBefore + 1);
        java.util.Set<String> mediaIds = new java.util.HashSet<>();
        for (int i = 0; i < people.size(); i++) {
            JsonNode line = null;
            for (JsonNode l : shop.customer().chat("4915180000" + String.format("%02d", i)).get("lines")) {
                if ("business".equals(l.get("from").asString())) {
                    line = l;
                }
            }
            assertThat(line).as("recipient %s got the message", i).isNotNull();
            assertThat(line.at("/rendered/headerMedia/type").asString()).isEqualTo("image");
            String mediaId = line.at("/rendered/headerMedia/media/id").asString();
            assertThat(mediaId).as("Meta's media id, not our upload's").matches("[0-9]+");
            assertThat(line.at("/rendered/body").asString()).isEqualTo("Hello there, our spring sale starts today.");
            mediaIds.add(mediaId);
        }
        assertThat(mediaIds).as("every recipient got the same copy").hasSize(1);
        assertThat(jdbc.sql("select media_id from media_uploads_at_meta where tenant_id = :t and upload_id = cast(:u as uuid)")
                .param("t", shop.id()).param("u", upload).query(String.class).single()).isEqualTo(mediaIds.iterator().next());

        // The preview names the file; the next campaign with it reuses Meta's copy.
        JsonNode preview = ApiClient.json(api.get("/api/v1/campaigns/" + id + "/preview?sample=1"));
        assertThat(preview.get("items").get(0).get("header").asString()).isEqualTo("[image: sale.jpg]");
        List<UUID> more = optedIn("4915180100", 2);
        tag(more, "photo2");
        String again = created(api.send("POST", "/api/v1/campaigns", campaign.replace("\"photo\"", "\"photo2\"").replace("Spring photo", "Again")))
                .get("id").asString();
        api.send("POST", "/api/v1/campaigns/" + again + "/schedule", null);
        awaitStatus(again, "FINISHED");
        Eventually.until(() -> acceptedByMeta(again) == 2, "the two messages to reach the sandbox");
        assertThat(shop.customer().stat("mediaUploads")).as("not uploaded again").isEqualTo(uploadsBefore + 1);
    }

    // --- helpers

    /** A file of {@code size} bytes starting with a type's signature (as OutboundMediaTest's). */
    private static byte[] file(String signature, int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        byte[] head = signature.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, bytes, 0, Math.min(head.length, size));
        return bytes;
    }

    private void approvedImageTemplate(String name, String body) {
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        String token = sandbox.find(shop.phoneNumberId()).orElseThrow().accessToken();
        hexa.support.SandboxTemplate.approved(baseUrl(), token, shop.number().wabaId(), name, """
                {"name": "%s", "language": "en_US", "category": "MARKETING",
                 "components": [{"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2UvanBlZw==:ARb"]}},
                                {"type": "BODY", "text": "%s", "example": {"body_text": [["Anna"]]}}]}
                """.formatted(name, body), owner, jdbc, shop.id());
    }

    private String helloWorld(String name, String audience) {
        return "{\"name\": \"" + name + "\", \"template\": {\"name\": \"hello_world\", \"language\": \"en_US\"}, \"audience\": " + audience + "}";
    }

    private void assertBad(String body, String saying) {
        Response response = api.send("POST", "/api/v1/campaigns", body);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("message").asString()).contains(saying);
    }

    private JsonNode created(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return ApiClient.json(response);
    }

    private UUID contact(String json, String consentStatus, String tag) {
        Response created = api.send("POST", "/api/v1/contacts", json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        UUID id = UUID.fromString(ApiClient.json(created).get("id").asString());
        if (consentStatus != null) {
            Response recorded = api.send("POST", "/api/v1/contacts/" + id + "/consent", "{\"status\": \"" + consentStatus + "\"}");
            assertThat(recorded.status()).as(recorded.text()).isBetween(200, 299);
        }
        if (tag != null) {
            assertThat(api.send("PUT", "/api/v1/contacts/" + id + "/tags/" + tag, null).status()).isEqualTo(200);
        }
        return id;
    }

    /** {@code count} contacts known to WhatsApp, numbers {@code prefix} and two digits, opted in. */
    private List<UUID> optedIn(String prefix, int count) {
        List<WhatsAppIdentity> identities = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            identities.add(new WhatsAppIdentity(prefix + String.format("%02d", i), null, null));
        }
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            List<UUID> ids = contacts.identifyAll(identities);
            Map<UUID, ConsentService.Status> wanted = new HashMap<>();
            ids.forEach(id -> wanted.put(id, ConsentService.Status.OPTED_IN));
            new TransactionTemplate(transactions).executeWithoutResult(s -> consent.recordEach(shop.id(), wanted, ConsentService.Source.FORM,
                    null, "Signed up", false, clock.instant()));
            return ids;
        }
    }

    private void tag(List<UUID> people, String tag) {
        jdbc.sql("insert into contact_tags (tenant_id, contact_id, tag, created_at) select :t, c, :tag, now() from unnest(cast(:ids as uuid[])) c")
                .param("t", shop.id()).param("tag", tag).param("ids", people.toArray(new UUID[0])).update();
    }

    private void approvedTemplate(String name, String category, String body, int parameters) {
        WebClient owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        String token = sandbox.find(shop.phoneNumberId()).orElseThrow().accessToken();
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < parameters; i++) {
            examples.append(i == 0 ? "" : ", ").append("\"Example").append(i + 1).append('"');
        }
        hexa.support.SandboxTemplate.approved(baseUrl(), token, shop.number().wabaId(), name, """
                {"name": "%s", "language": "en_US", "category": "%s",
                 "components": [{"type": "BODY", "text": "%s", "example": {"body_text": [[%s]]}}]}
                """.formatted(name, category, body, examples), owner, jdbc, shop.id());
    }

    private void rate(int messagesPerSecond) {
        rate(shop, messagesPerSecond);
    }

    private void rate(Fixtures.SandboxWorkspace number, int messagesPerSecond) {
        jdbc.sql("update whatsapp_connections set messages_per_second = :rate where id = :id").param("rate", messagesPerSecond)
                .param("id", number.number().id()).update();
        sandbox.find(number.phoneNumberId()).orElseThrow().changeMessagesPerSecond(messagesPerSecond);
    }

    private JsonNode awaitStatus(String id, String status) {
        return Eventually.await(() -> ApiClient.json(api.get("/api/v1/campaigns/" + id)), c -> status.equals(c.get("status").asString()),
                "campaign " + id + " to be " + status, Duration.ofSeconds(60));
    }

    private String status(String id) {
        return ApiClient.json(api.get("/api/v1/campaigns/" + id)).get("status").asString();
    }

    private String exclusion(String id, UUID contact) {
        return jdbc.sql("select exclusion from campaign_recipients where campaign_id = :c and contact_id = :k").param("c", UUID.fromString(id))
                .param("k", contact).query(String.class).single();
    }

    private String state(String id, UUID contact) {
        return jdbc.sql("select state from campaign_recipients where campaign_id = :c and contact_id = :k").param("c", UUID.fromString(id))
                .param("k", contact).query(String.class).single();
    }

    private Instant dueAt(String id, UUID contact) {
        return jdbc.sql("select due_at from campaign_recipients where campaign_id = :c and contact_id = :k").param("c", UUID.fromString(id))
                .param("k", contact).query((rs, n) -> hexa.platform.database.Sql.instant(rs, "due_at")).single();
    }

    private long count(String id, String state) {
        return jdbc.sql("select count(*) from campaign_recipients where campaign_id = :c and state = :s").param("c", UUID.fromString(id))
                .param("s", state).query(Long.class).single();
    }

    private String sentBody(String id, UUID contact) {
        return jdbc.sql("select m.content::text from messages m join campaign_recipients r on r.message_id = m.id"
                        + " where r.campaign_id = :c and r.contact_id = :k").param("c", UUID.fromString(id)).param("k", contact)
                .query(String.class).single();
    }

    private long acceptedByMeta(String id) {
        return jdbc.sql("select count(*) from messages where sent_by = :c and wamid is not null").param("c", UUID.fromString(id))
                .query(Long.class).single();
    }

    private void moveClockTo(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
