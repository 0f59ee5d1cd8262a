package hexa.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.identity.Fixtures;
import hexa.platform.live.LiveUpdates;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.MessageStatusesChanged;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutboundQueue;
import hexa.whatsapp.SendService;
import hexa.whatsapp.StatusUpdate;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The funnel of a campaign after its messages are queued, driven by the sandbox's real status webhooks: recipients move
 * forward (never back, whatever order the statuses come in), fail with Meta's code told in plain words, are billed at the
 * price table's price for their country, reply; the counts, the recipients' list and its CSV show it; a follow-up goes
 * to those who did not read; an A/B test is decided once its time has passed. Campaigns and their recipients are written
 * here as the engine writes them, and the messages are queued through the channel's bulk sending as the dispatcher does.
 */
class CampaignFunnelTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    SendService sendService;
    @Autowired
    ContactService contacts;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    CampaignFunnel funnel;
    @Autowired
    CampaignEstimate estimates;
    @Autowired
    CampaignRecipientList recipientList;
    @Autowired
    CampaignFollowUps followUps;
    @Autowired
    CampaignAbWinners abWinners;
    @Autowired
    CampaignPrices prices;
    @Autowired
    LiveUpdates live;
    @Autowired
    CampaignClicks clicks;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customer;

    @BeforeEach
    void aShopWithASandboxNumber() {
        shop = fixtures.withSandboxNumber("Funnel Co");
        customer = shop.customer();
    }

    @AfterEach
    void metaBehavesAsUsualAgain() {
        customer.switches("{\"deliveredDelayMs\": 300, \"readDelayMs\": 800, \"statusFailures\": 0, \"statusFailurePhoneNumberId\": null,"
                + " \"sendFailures\": 0, \"sendFailurePhoneNumberId\": null, \"duplicateRate\": 0.0}");
    }

    @Test
    void statuses_move_recipients_to_read_with_metas_pricing_and_the_price_of_their_country() throws Exception {
        List<UUID> people = people("4915100", 2);
        people.addAll(people("9198700", 1));
        UUID excluded = people("4915101", 1).get(0);
        UUID campaign = campaign("Spring sale", "SENDING", null);
        recipients(campaign, people.subList(0, 2), "DE", null);
        recipients(campaign, people.subList(2, 3), "IN", null);
        jdbc.sql("insert into campaign_recipients (tenant_id, campaign_id, contact_id, state, exclusion) values (:t, :c, :p, 'EXCLUDED', 'NO_CONSENT')")
                .param("t", shop.id()).param("c", campaign).param("p", excluded).update();

        CampaignEstimate.Estimate estimate = asOwner(() -> estimates.estimate(campaign));
        assertThat(estimate.recipients()).as("the excluded one is not sent, so not priced").isEqualTo(3);
        assertThat(estimate.total()).isEqualByComparingTo("0.2837"); // 2 × 0.1365 (Germany) + 0.0107 (India), marketing
        assertThat(estimate.byCountry().get("DE").n()).isEqualTo(2);
        assertThat(estimate.byCountry().get("DE").price()).isEqualByComparingTo("0.1365");
        assertThat(jdbc.sql("select estimate ->> 'total' from campaigns where id = :c").param("c", campaign).query(String.class).single())
                .isEqualTo("0.2837");

        // Meta delivers every webhook twice here: each status is still told once.
        customer.switches("{\"duplicateRate\": 1.0}");
        List<LiveUpdates.News> news = new CopyOnWriteArrayList<>();
        Instant watching = Instant.now();
        try (AutoCloseable ignored = live.subscribe(shop.id(), news::add)) {
            dispatch(campaign, people);
            awaitStates(campaign, "READ", 3);
            Eventually.until(() -> news.stream().anyMatch(n -> n.topic().equals(CampaignLive.TOPIC) && n.id().equals(campaign.toString())),
                    "the funnel's live news");
        }
        long seconds = Duration.between(watching, Instant.now()).toSeconds();
        assertThat(news.stream().filter(n -> n.topic().equals(CampaignLive.TOPIC)).count())
                .as("at most one news item a second for the campaign (9 statuses came)").isLessThanOrEqualTo(seconds + 2);

        List<Map<String, Object>> rows = jdbc.sql("""
                select state, country, sent_at, delivered_at, read_at, billable, pricing_category, cost from campaign_recipients
                 where campaign_id = :c and state <> 'EXCLUDED' order by country
                """).param("c", campaign).query().listOfRows();
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("sent_at")).isNotNull();
            assertThat(row.get("delivered_at")).isNotNull();
            assertThat(row.get("read_at")).isNotNull();
            assertThat(row.get("billable")).isEqualTo(true);
            assertThat(row.get("pricing_category")).isEqualTo("MARKETING");
        });
        assertThat(rows.get(0).get("cost")).isEqualTo(new BigDecimal("0.136500"));
        assertThat(rows.get(2).get("cost")).isEqualTo(new BigDecimal("0.010700"));

        CampaignFunnel.Counts counts = asOwner(() -> funnel.counts(campaign));
        assertThat(counts.recipients()).isEqualTo(4);
        assertThat(counts.excluded()).containsExactly(Map.entry("NO_CONSENT", 1L));
        assertThat(List.of(counts.queued(), counts.sent(), counts.delivered(), counts.read())).containsExactly(0L, 3L, 3L, 3L);
        assertThat(counts.failed()).isEmpty();
        assertThat(counts.cost().currency()).isEqualTo("USD");
        assertThat(counts.cost().estimate()).isEqualByComparingTo("0.2837");
        assertThat(counts.cost().actual()).isEqualByComparingTo("0.2837");

        // The channel told it once per batch of webhooks, with Meta's pricing on the statuses that carried it.
        List<MessageStatusesChanged> batches = events.of(shop.id(), MessageStatusesChanged.class);
        List<MessageStatusesChanged.Item> items = batches.stream().flatMap(b -> b.statuses().stream()).toList();
        assertThat(items).hasSize(9);
        assertThat(batches.size()).isLessThanOrEqualTo(9);
        assertThat(items).filteredOn(i -> i.status() == StatusUpdate.Status.DELIVERED)
                .allSatisfy(i -> assertThat(i.pricingCategory()).isEqualTo("MARKETING"))
                .allSatisfy(i -> assertThat(i.billable()).isTrue());
    }

    @Test
    void a_read_that_comes_before_its_delivered_moves_the_recipient_to_read_and_the_late_delivered_still_fills_in_its_time() {
        customer.switches("{\"deliveredDelayMs\": 2500, \"readDelayMs\": 300}");
        List<UUID> people = people("4915102", 1);
        UUID campaign = campaign("Read first", "SENDING", null);
        recipients(campaign, people, "DE", null);
        dispatch(campaign, people);

        awaitStates(campaign, "READ", 1);
        assertThat(value(campaign, "delivered_at")).as("delivered not reported yet").isNull();
        Eventually.until(() -> value(campaign, "delivered_at") != null, "the late delivered to fill in its time");
        assertThat(value(campaign, "state")).as("never moved back").isEqualTo("READ");
        assertThat(asOwner(() -> funnel.counts(campaign)).delivered()).as("a read message counts as delivered").isEqualTo(1);
    }

    @Test
    void failures_keep_metas_code_and_are_told_in_plain_words() {
        List<UUID> people = people("4915103", 3);
        UUID campaign = campaign("Limits", "SENDING", null);
        recipients(campaign, people, "DE", null);

        // 131049 comes later, in a failed status webhook.
        customer.switches("{\"statusFailures\": 1, \"statusFailureCode\": 131049, \"statusFailurePhoneNumberId\": \"" + shop.phoneNumberId() + "\"}");
        dispatch(campaign, people.subList(0, 1));
        awaitStates(campaign, "FAILED", 1);
        // 131050 is Meta's answer to the send itself: the message is never accepted.
        customer.switches("{\"statusFailures\": 0, \"sendFailures\": 1, \"sendFailureCode\": 131050, \"sendFailurePhoneNumberId\": \""
                + shop.phoneNumberId() + "\"}");
        dispatch(campaign, people.subList(1, 2));
        awaitStates(campaign, "FAILED", 2);
        customer.switches("{\"sendFailures\": 0}");
        dispatch(campaign, people.subList(2, 3));
        awaitStates(campaign, "READ", 1);

        CampaignFunnel.Counts counts = asOwner(() -> funnel.counts(campaign));
        assertThat(counts.failed()).containsOnly(Map.entry("131049", 1L), Map.entry("131050", 1L));
        assertThat(counts.sent()).isEqualTo(1);
        assertThat(counts.cost().actual()).as("failed messages are not billed").isEqualByComparingTo("0.1365");
        CampaignRecipientList.Page failed = asOwner(() -> recipientList.page(campaign, "failed", null, null, 50));
        assertThat(failed.items()).hasSize(2);
        assertThat(failed.items()).filteredOn(r -> Integer.valueOf(131049).equals(r.errorCode())).singleElement()
                .satisfies(r -> assertThat(r.failure()).contains("marketing messages").contains("24 hours"));
        assertThat(failed.items()).filteredOn(r -> Integer.valueOf(131050).equals(r.errorCode())).singleElement()
                .satisfies(r -> assertThat(r.failure()).contains("stopped marketing messages"));
        assertThat(jdbc.sql("select error_title from campaign_recipients where campaign_id = :c and error_code = 131049")
                .param("c", campaign).query(String.class).single()).contains("healthy ecosystem");

        // A day later the channel sends the 131049 message once more: this time it arrives, and the recipient moves on.
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        awaitStates(campaign, "READ", 2);
        assertThat(jdbc.sql("select count(*) from campaign_recipients where campaign_id = :c and contact_id = :p and error_code is null"
                + " and failed_at is null and read_at is not null").param("c", campaign).param("p", people.get(0)).query(Long.class).single()).isEqualTo(1);
        assertThat(asOwner(() -> funnel.counts(campaign)).failed()).containsOnly(Map.entry("131050", 1L));
    }

    @Test
    void a_reply_counts_for_the_latest_campaign_that_reached_the_customer_only() {
        String waId = "491510400001";
        UUID person = people("4915104", 1).get(0);
        UUID earlier = campaign("Earlier", "FINISHED", null);
        UUID latest = campaign("Latest", "SENDING", null);
        UUID unrelated = campaign("Someone else's", "SENDING", null);
        UUID other = people("4915105", 1).get(0);
        recipients(earlier, List.of(person), "DE", null);
        recipients(latest, List.of(person), "DE", null);
        recipients(unrelated, List.of(other), "DE", null);
        dispatch(earlier, List.of(person));
        awaitStates(earlier, "READ", 1);
        dispatch(latest, List.of(person));
        dispatch(unrelated, List.of(other));
        awaitStates(latest, "READ", 1);
        awaitStates(unrelated, "READ", 1);

        customer.writes(waId, "Is the sale on this weekend too?");

        Eventually.until(() -> value(latest, "replied_at") != null, "the reply to be counted for the latest campaign");
        assertThat(value(earlier, "replied_at")).isNull();
        assertThat(value(unrelated, "replied_at")).as("another customer's campaign").isNull();
        assertThat(asOwner(() -> funnel.counts(latest)).replied()).isEqualTo(1);
        assertThat(asOwner(() -> recipientList.page(latest, "replied", null, null, 10)).items()).extracting(CampaignRecipientList.Recipient::contactId)
                .containsExactly(person);
    }

    @Test
    void the_recipients_list_filters_searches_pages_and_exports_a_csv_no_spreadsheet_runs() throws Exception {
        List<UUID> people = new ArrayList<>();
        people.add(person("491510600001", "=HYPERLINK(\"http://evil.example\")"));
        people.add(person("491510600002", "Anna Schmidt"));
        people.add(person("491510600003", "Bernd Weber"));
        UUID campaign = campaign("List", "SENDING", null);
        recipients(campaign, people, "DE", null);
        jdbc.sql("update campaign_recipients set state = 'EXCLUDED', exclusion = 'OPTED_OUT' where campaign_id = :c and contact_id = :p")
                .param("c", campaign).param("p", people.get(2)).update();
        dispatch(campaign, people.subList(0, 2));
        awaitStates(campaign, "READ", 2);

        CampaignRecipientList.Page first = asOwner(() -> recipientList.page(campaign, null, null, null, 2));
        assertThat(first.items()).hasSize(2);
        assertThat(first.nextCursor()).isNotNull();
        CampaignRecipientList.Page second = asOwner(() -> recipientList.page(campaign, null, null, first.nextCursor(), 2));
        assertThat(second.items()).hasSize(1);
        assertThat(second.nextCursor()).isNull();
        List<UUID> all = new ArrayList<>(first.items().stream().map(CampaignRecipientList.Recipient::contactId).toList());
        all.add(second.items().get(0).contactId());
        assertThat(all).containsExactlyInAnyOrderElementsOf(people);

        assertThat(asOwner(() -> recipientList.page(campaign, "EXCLUDED", null, null, 10)).items()).singleElement()
                .satisfies(r -> assertThat(r.exclusion()).isEqualTo("OPTED_OUT"));
        assertThat(asOwner(() -> recipientList.page(campaign, null, "schmidt", null, 10)).items()).singleElement()
                .satisfies(r -> assertThat(r.name()).isEqualTo("Anna Schmidt"));
        assertThat(asOwner(() -> recipientList.page(campaign, null, "510600003", null, 10)).items()).singleElement()
                .satisfies(r -> assertThat(r.contactId()).isEqualTo(people.get(2)));
        assertThat(asOwner(() -> recipientList.page(campaign, null, "nobody like this", null, 10)).items()).isEmpty();
        assertThatThrownBy(() -> asOwner(() -> recipientList.page(campaign, "OPENED", null, null, 10))).isInstanceOf(UserError.class)
                .satisfies(e -> assertThat(((UserError) e).text()).contains("\"OPENED\"").contains("REPLIED"));
        assertThatThrownBy(() -> asOwner(() -> recipientList.page(campaign, null, null, "not-a-cursor", 10))).isInstanceOf(UserError.class);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = asOwner(() -> recipientList.exportCsv(campaign, null, null, out));
        assertThat(written).isEqualTo(3);
        List<CSVRecord> csv = CSVFormat.DEFAULT.parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
        assertThat(csv.get(0).get(0)).isEqualTo("Name");
        assertThat(csv).hasSize(4);
        CSVRecord evil = csv.stream().filter(r -> r.get(0).contains("HYPERLINK")).findFirst().orElseThrow();
        assertThat(evil.get(0)).as("a formula is written as text").isEqualTo("'=HYPERLINK(\"http://evil.example\")");
        assertThat(evil.get(1)).as("a number starting with + is text too").isEqualTo("'+491510600001");
        assertThat(evil.get(2)).isEqualTo("Read");
        assertThat(evil.get(9)).as("read at").isNotBlank();
        assertThat(evil.get(14)).isEqualTo("0.136500");
        CSVRecord optedOut = csv.stream().filter(r -> r.get(0).equals("Bernd Weber")).findFirst().orElseThrow();
        assertThat(optedOut.get(2)).isEqualTo("Excluded");
        assertThat(optedOut.get(3)).isEqualTo("Opted out");

        // Another workspace's campaign is not found.
        Fixtures.SandboxWorkspace other = fixtures.withSandboxNumber("Other Co");
        try (TenantContext.Scope ignored = fixtures.actAsOwner(other.workspace())) {
            assertThatThrownBy(() -> recipientList.page(campaign, null, null, null, 10)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> funnel.counts(campaign)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> recipientList.exportCsv(campaign, null, null, new ByteArrayOutputStream())).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void a_follow_up_is_a_draft_with_the_same_template_for_those_who_did_not_read() {
        List<UUID> people = people("4915107", 4);
        UUID campaign = campaign("Launch", "FINISHED", null);
        recipients(campaign, people, "DE", null);
        jdbc.sql("""
                update campaign_recipients set state = case
                       when contact_id = :a then 'READ' when contact_id = :b then 'DELIVERED' when contact_id = :c then 'SENT' else 'FAILED' end,
                       read_at = case when contact_id = :a then now() end,
                       replied_at = case when contact_id = :a then now() end
                 where campaign_id = :campaign
                """).param("a", people.get(0)).param("b", people.get(1)).param("c", people.get(2)).param("campaign", campaign).update();

        UUID followUp = asOwner(() -> followUps.create(campaign, CampaignFollowUps.Rule.NOT_READ, "  Launch, once more "));

        Map<String, Object> row = jdbc.sql("""
                select name, status, template_name, template_language, template_category, connection_ids::text as numbers,
                       audience::text as audience, follow_up_of, follow_up_rule, created_by from campaigns where tenant_id = :t and id = :id
                """).param("t", shop.id()).param("id", followUp).query().singleRow();
        assertThat(row.get("name")).isEqualTo("Launch, once more");
        assertThat(row.get("status")).isEqualTo("DRAFT");
        assertThat(row.get("template_name")).isEqualTo("hello_world");
        assertThat(row.get("template_category")).isEqualTo("MARKETING");
        assertThat(row.get("numbers")).isEqualTo("{" + shop.number().id() + "}");
        assertThat(row.get("audience")).isEqualTo("{\"rule\": \"NOT_READ\", \"followUpOf\": \"" + campaign + "\"}");
        assertThat(row.get("follow_up_of")).isEqualTo(campaign);
        assertThat(row.get("follow_up_rule")).isEqualTo("NOT_READ");
        assertThat(row.get("created_by")).isEqualTo(shop.workspace().owner().id());
        assertThat(asOwner(() -> followUps.recipients(campaign, CampaignFollowUps.Rule.NOT_READ)))
                .as("delivered or sent but not read; not the failed one").containsExactlyInAnyOrder(people.get(1), people.get(2));
        assertThat(asOwner(() -> followUps.recipients(campaign, CampaignFollowUps.Rule.NOT_REPLIED)))
                .containsExactlyInAnyOrder(people.get(1), people.get(2));
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'campaign.follow_up_created' and target_id = :id")
                .param("t", shop.id()).param("id", followUp.toString()).query(Long.class).single()).isEqualTo(1);

        // Refused, and nothing written: a bad name or rule, a campaign not sent yet, another workspace's campaign.
        long before = campaigns();
        assertThatThrownBy(() -> asOwner(() -> followUps.create(campaign, CampaignFollowUps.Rule.NOT_READ, " "))).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> CampaignFollowUps.Rule.of("NOT_OPENED")).isInstanceOf(UserError.class)
                .satisfies(e -> assertThat(((UserError) e).text()).contains("NOT_OPENED"));
        UUID draft = campaign("Not yet", "DRAFT", null);
        assertThatThrownBy(() -> asOwner(() -> followUps.create(draft, CampaignFollowUps.Rule.NOT_READ, "Again")))
                .isInstanceOf(UserError.class).satisfies(e -> assertThat(((UserError) e).status().value()).isEqualTo(409));
        Fixtures.SandboxWorkspace other = fixtures.withSandboxNumber("Elsewhere Co");
        try (TenantContext.Scope ignored = fixtures.actAsOwner(other.workspace())) {
            assertThatThrownBy(() -> followUps.create(campaign, CampaignFollowUps.Rule.NOT_READ, "Mine now")).isInstanceOf(NotFoundException.class);
        }
        assertThat(campaigns()).isEqualTo(before + 1); // the draft only
    }

    @Test
    void an_ab_test_is_decided_for_the_better_read_rate_once_its_time_has_passed_and_a_tie_goes_to_a() {
        clock.freeze();
        UUID better = campaign("A/B", "SENDING", "{\"templateName\": \"hello_world\", \"templateLanguage\": \"en_US\", \"samplePercent\": 20,"
                + " \"metric\": \"READ\", \"decideAfterMinutes\": 60}");
        UUID tie = campaign("A/B tie", "SENDING", "{\"metric\": \"REPLIED\", \"decideAfterMinutes\": 30}");
        abRecipients(better, "A", "4915108", List.of("READ", "DELIVERED", "DELIVERED", "FAILED"));
        abRecipients(better, "B", "4915109", List.of("READ", "READ", "READ", "DELIVERED"));
        abRecipients(better, null, "4915110", List.of("WAITING", "WAITING"));
        abRecipients(tie, "A", "4915111", List.of("READ", "DELIVERED"));
        abRecipients(tie, "B", "4915112", List.of("READ", "READ"));
        // The rest of the tie's audience waits for the winner (and keeps the campaign sending).
        abRecipients(tie, null, "4915113", List.of("WAITING"));
        // One reply in each variant of the tie.
        jdbc.sql("""
                update campaign_recipients set replied_at = now()
                 where campaign_id = :c and contact_id in (select distinct on (variant) contact_id from campaign_recipients
                                                            where campaign_id = :c order by variant, contact_id)
                """).param("c", tie).update();

        clock.advance(Duration.ofMinutes(29));
        assertThat(abWinners.decideDue()).as("too early for both").isZero();
        assertThat(value(better, "ab_winner", "campaigns")).isNull();

        clock.advance(Duration.ofMinutes(2));
        assertThat(abWinners.decideDue()).as("the tie's 30 minutes have passed").isEqualTo(1);
        assertThat(value(tie, "ab_winner", "campaigns")).as("1 reply of 2 each: a tie goes to A").isEqualTo("A");
        assertThat(value(better, "ab_winner", "campaigns")).isNull();

        clock.advance(Duration.ofMinutes(30));
        assertThat(abWinners.decideDue()).isEqualTo(1);
        assertThat(value(better, "ab_winner", "campaigns")).as("B read by 3 of 4, A by 1 of 4").isEqualTo("B");
        assertThat(((java.sql.Timestamp) value(better, "ab_decided_at", "campaigns")).toInstant())
                .isCloseTo(clock.instant(), org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
        assertThat(abWinners.decideDue()).as("decided once").isZero();
        assertThat(jdbc.sql("select details::text from audit_events where tenant_id = :t and action = 'campaign.ab_winner_decided' and target_id = :c")
                .param("t", shop.id()).param("c", better.toString()).query(String.class).single()).contains("\"winner\": \"B\"");
        assertThat(events.of(shop.id(), CampaignAbDecided.class)).extracting(CampaignAbDecided::winner).containsExactlyInAnyOrder("A", "B");
    }

    @Test
    void a_click_on_the_url_button_through_our_redirect_is_counted_once_and_leads_on_to_the_business_page() {
        List<UUID> people = people("4915113", 2);
        UUID campaign = campaign("Clicks", "SENDING", null);
        recipients(campaign, people, "DE", null);
        asOwner(() -> {
            clicks.leadTo(campaign, "https://shop.example/sale?from=whatsapp");
            return null;
        });
        Map<UUID, String> links = asOwner(() -> clicks.buttonParameters(campaign, people));
        assertThat(asOwner(() -> clicks.buttonParameters(campaign, people))).as("the same link every time").isEqualTo(links);
        dispatch(campaign, people);
        awaitStates(campaign, "READ", 2);

        hexa.support.Response followed = browser().get("/c/" + links.get(people.get(0)));
        assertThat(followed.status()).isEqualTo(302);
        assertThat(followed.header("Location")).isEqualTo("https://shop.example/sale?from=whatsapp");
        Object first = jdbc.sql("select clicked_at from campaign_recipients where campaign_id = :c and contact_id = :p").param("c", campaign)
                .param("p", people.get(0)).query((rs, n) -> rs.getObject(1)).list().get(0);
        assertThat(first).isNotNull();
        assertThat(browser().get("/c/" + links.get(people.get(0))).status()).isEqualTo(302);
        assertThat(jdbc.sql("select clicked_at from campaign_recipients where campaign_id = :c and contact_id = :p").param("c", campaign)
                .param("p", people.get(0)).query((rs, n) -> rs.getObject(1)).list().get(0)).as("the first click is kept").isEqualTo(first);
        assertThat(asOwner(() -> funnel.counts(campaign)).clicked()).isEqualTo(1);

        // A link changed by hand (another recipient's ids with this one's signature) leads nowhere and counts nothing.
        byte[] forged = java.util.Base64.getUrlDecoder().decode(links.get(people.get(0)));
        byte[] other = java.util.Base64.getUrlDecoder().decode(links.get(people.get(1)));
        System.arraycopy(other, 32, forged, 32, 16);
        assertThat(browser().get("/c/" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged)).status()).isEqualTo(404);
        assertThat(browser().get("/c/not-a-link").status()).isEqualTo(404);
        assertThat(asOwner(() -> funnel.counts(campaign)).clicked()).isEqualTo(1);
        assertThatThrownBy(() -> asOwner(() -> {
            clicks.leadTo(campaign, "javascript:alert(1)");
            return null;
        })).isInstanceOf(UserError.class);
    }

    // --- the engine's part, as plain SQL and the channel's bulk sending ---

    private UUID campaign(String name, String status, String ab) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into campaigns (tenant_id, id, name, status, template_name, template_language, template_category, variables, ab, audience,
                                       connection_ids, created_at, updated_at, started_at)
                values (:t, :id, :name, :status, 'hello_world', 'en_US', 'MARKETING', '{}', cast(:ab as jsonb), '{"tags": ["vip"], "match": "ANY"}',
                        array[cast(:number as uuid)], :now, :now, case when :status = 'DRAFT' then null else cast(:now as timestamptz) end)
                """)
                .param("t", shop.id()).param("id", id).param("name", name).param("status", status).param("ab", ab)
                .param("number", shop.number().id()).param("now", java.sql.Timestamp.from(now)).update();
        return id;
    }

    /** Waiting recipients, due in a hundred years: the campaigns' own dispatcher leaves them to this test's {@link #dispatch}. */
    private void recipients(UUID campaign, List<UUID> people, String country, String variant) {
        for (UUID person : people) {
            jdbc.sql("""
                    insert into campaign_recipients (tenant_id, campaign_id, contact_id, state, variant, connection_id, country, due_at)
                    values (:t, :c, :p, 'WAITING', :v, :n, :country, now() + interval '100 years')
                    """).param("t", shop.id()).param("c", campaign).param("p", person).param("v", variant).param("n", shop.number().id())
                    .param("country", country).update();
        }
    }

    private void abRecipients(UUID campaign, String variant, String prefix, List<String> states) {
        List<UUID> people = people(prefix, states.size());
        recipients(campaign, people, "DE", variant);
        for (int i = 0; i < states.size(); i++) {
            String state = states.get(i);
            jdbc.sql("""
                    update campaign_recipients set state = :s, message_id = case when :s <> 'WAITING' then gen_random_uuid() end,
                           read_at = case when :s = 'READ' then now() end
                     where campaign_id = :c and contact_id = :p
                    """).param("s", state).param("c", campaign).param("p", people.get(i)).update();
        }
    }

    /** Hands the recipients to the channel and marks them QUEUED with their message, in one transaction, as the dispatcher does. */
    private void dispatch(UUID campaign, List<UUID> people) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
                List<UUID> messages = sendService.queueBulk(shop.number().id(), new OutboundQueue.Sender("CAMPAIGN", campaign, "Campaign"),
                        people.stream().map(p -> new SendService.BulkRecipient(p, new MessageToSend.Template("hello_world", "en_US", List.of(), List.of())))
                                .toList(), SendService.WhenUncertain.NEVER_RESEND);
                for (int i = 0; i < people.size(); i++) {
                    jdbc.sql("""
                            update campaign_recipients set state = 'QUEUED', message_id = :m, queued_at = now()
                             where tenant_id = :t and campaign_id = :c and contact_id = :p and state = 'WAITING'
                            """).param("m", messages.get(i)).param("t", shop.id()).param("c", campaign).param("p", people.get(i)).update();
                }
            }
        });
    }

    private List<UUID> people(String prefix, int count) {
        List<WhatsAppIdentity> identities = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            identities.add(new WhatsAppIdentity(prefix + String.format("%05d", i + 1), null, null));
        }
        return new ArrayList<>(asOwner(() -> contacts.identifyAll(identities)));
    }

    private UUID person(String waId, String profileName) {
        return asOwner(() -> contacts.identifyAll(List.of(new WhatsAppIdentity(waId, null, profileName)))).get(0);
    }

    private void awaitStates(UUID campaign, String state, int count) {
        Eventually.until(() -> jdbc.sql("select count(*) from campaign_recipients where campaign_id = :c and state = :s")
                .param("c", campaign).param("s", state).query(Integer.class).single() == count, count + " recipients " + state);
    }

    private Object value(UUID campaign, String column) {
        return jdbc.sql("select " + column + " from campaign_recipients where campaign_id = :c and state <> 'EXCLUDED'").param("c", campaign)
                .query((rs, n) -> rs.getObject(1)).list().get(0);
    }

    private Object value(UUID id, String column, String table) {
        return jdbc.sql("select " + column + " from " + table + " where id = :id").param("id", id).query((rs, n) -> rs.getObject(1)).list().get(0);
    }

    private long campaigns() {
        return jdbc.sql("select count(*) from campaigns where tenant_id = :t").param("t", shop.id()).query(Long.class).single();
    }

    private <T> T asOwner(java.util.function.Supplier<T> work) {
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            return work.get();
        }
    }
}
