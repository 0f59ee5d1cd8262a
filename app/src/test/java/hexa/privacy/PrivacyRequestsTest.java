package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.crypto.SecretBox;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import hexa.whatsapp.MetaSignedRequests;
import hexa.whatsapp.VerificationCodes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A person's requests: the public privacy page's form with its WhatsApp code (through the sandbox), the list where an
 * Owner or Admin decides, overdue requests, and Meta's data deletion callback.
 */
class PrivacyRequestsTest extends HexaIntegrationTest {

    private static final Pattern ATTEMPT = Pattern.compile("name=\"attempt\" value=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("(\\d{6}) is your verification code");
    private static final String SAME_ANSWER = "If this number has written to us, we sent it a code on WhatsApp.";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretBox secrets;

    /** A workspace with a sandbox number, its public page saved (and so its code template approved), and a customer. */
    private record Shop(Fixtures.SandboxWorkspace sandbox, WebClient owner, String key, String customer) {
        String page() {
            return "/privacy/" + key;
        }
    }

    private Shop shop(String rule) {
        Fixtures.SandboxWorkspace sandbox = fixtures.withSandboxNumber("Privacy shop " + UUID.randomUUID().toString().substring(0, 6));
        String customer = "4477009" + (10000 + (int) (Math.random() * 89999));
        sandbox.customer().writes(customer, "Hello, is my order ready?");
        WebClient owner = browser();
        owner.signIn(sandbox.owner().email(), Fixtures.PASSWORD);
        Response saved = owner.post("/settings/privacy/public-page", Map.of("text", "# Our promise\nWe keep messages {messageDays}.", "rule", rule, "dueDays", "30"));
        assertThat(saved.status()).isEqualTo(302);
        Eventually.until(() -> "APPROVED".equals(jdbc.sql("select status from whatsapp_templates where tenant_id = :t and name = :n")
                .param("t", sandbox.id()).param("n", VerificationCodes.TEMPLATE).query(String.class).optional().orElse("")), "the code template to be approved");
        String key = jdbc.sql("select page_key from privacy_public_pages where tenant_id = :t").param("t", sandbox.id()).query(String.class).single();
        return new Shop(sandbox, owner, key, customer);
    }

    private static String attempt(Response response) {
        Matcher matcher = ATTEMPT.matcher(response.text());
        assertThat(matcher.find()).as(response.text()).isTrue();
        return matcher.group(1);
    }

    private String codeOnThePhone(Shop shop) {
        return Eventually.present(() -> {
            Matcher matcher = CODE.matcher(shop.sandbox().customer().chat(shop.customer()).toString());
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return java.util.Optional.ofNullable(last);
        }, "the code to reach the customer's phone");
    }

    private long requests(UUID workspace) {
        return jdbc.sql("select count(*) from privacy_requests where tenant_id = :t").param("t", workspace).query(Long.class).single();
    }

    @Test
    void a_person_proves_their_number_with_a_code_sent_on_whatsapp_and_their_request_awaits_approval() {
        Shop shop = shop("approval");
        WebClient visitor = browser();
        Response page = visitor.get(shop.page());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Our promise").contains("We keep messages 90 days.").contains("Ask for your data or its erasure");

        Response asked = visitor.post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "erasure"));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.text()).contains(SAME_ANSWER);
        String code = codeOnThePhone(shop);

        String wrong = code.equals("000000") ? "111111" : "000000";
        Response refused = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", wrong));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("That code is not right");
        assertThat(requests(shop.sandbox().id())).isZero();

        Response confirmed = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", code));
        assertThat(confirmed.status()).isEqualTo(302);
        assertThat(confirmed.location()).contains(shop.page() + "/requests/");
        Response status = visitor.get(confirmed.location());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text()).contains("Erasure of their data").contains("Awaiting approval");

        Map<String, Object> row = jdbc.sql("select kind, source, state, contact_id, phone_number, due_at - received_at as due from privacy_requests where tenant_id = :t")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row.get("kind")).isEqualTo("erasure");
        assertThat(row.get("source")).isEqualTo("public_page");
        assertThat(row.get("state")).isEqualTo("awaiting_approval");
        assertThat(row.get("contact_id")).isNotNull();
        assertThat(row.get("phone_number")).isEqualTo("+" + shop.customer());
        assertThat(row.get("due").toString()).contains("30 days");

        Response reused = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", code));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(requests(shop.sandbox().id())).isEqualTo(1);
        assertThat(jdbc.sql("select code_hash from privacy_request_codes where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single())
                .isNotEqualTo(code).doesNotContain(code);
    }

    @Test
    void withdrawing_marketing_consent_on_the_page_is_done_at_once_whatever_the_rule() {
        Shop shop = shop("approval");
        WebClient visitor = browser();
        Response asked = visitor.post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "consent"));
        Response confirmed = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", codeOnThePhone(shop)));
        assertThat(confirmed.status()).isEqualTo(302);
        assertThat(visitor.get(confirmed.location()).text()).contains("You will get no more marketing messages from us.").contains("Done");
        assertThat(jdbc.sql("select marketing_consent from contacts where tenant_id = :t and wa_id = :w").param("t", shop.sandbox().id())
                .param("w", shop.customer()).query(String.class).single()).isEqualTo("opted_out");
        assertThat(jdbc.sql("select count(*) from contact_consent_events where tenant_id = :t and detail like 'privacy request %'")
                .param("t", shop.sandbox().id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_number_the_workspace_does_not_know_is_answered_the_same_gets_no_code_and_its_request_is_closed() {
        Shop shop = shop("approval");
        long sentBefore = shop.sandbox().customer().stat("accepted");
        Response asked = browser().post(shop.page() + "/code", Map.of("number", "+447700900999", "kind", "export"));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.text()).contains(SAME_ANSWER).contains("name=\"attempt\"");

        Map<String, Object> row = jdbc.sql("select state, outcome, contact_id, phone_number from privacy_requests where tenant_id = :t")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row.get("state")).isEqualTo("done");
        assertThat(row.get("outcome")).isEqualTo("unknown-number");
        assertThat(row.get("contact_id")).isNull();
        assertThat(row.get("phone_number")).isEqualTo("+447700900999");
        assertThat(shop.sandbox().customer().stat("accepted")).isEqualTo(sentBefore);

        Response guessed = browser().post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", "123456"));
        assertThat(guessed.status()).isEqualTo(400);
        assertThat(guessed.text()).contains("That code is not right");
    }

    @Test
    void codes_are_limited_per_number_and_per_address_and_expire_and_a_few_wrong_ones_void_them() {
        Shop shop = shop("approval");
        WebClient visitor = browser();
        for (int i = 0; i < RequestCodes.PER_NUMBER; i++) {
            assertThat(visitor.post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "export")).status()).isEqualTo(200);
        }
        Response limited = browser().post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "export"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text()).contains("Too many codes were asked for");

        WebClient busy = browser();
        for (int i = 0; i < RequestCodes.PER_ADDRESS - RequestCodes.PER_NUMBER; i++) {
            assertThat(visitor.post(shop.page() + "/code", Map.of("number", "+44770090" + (1000 + i), "kind", "export")).status()).isEqualTo(200);
        }
        assertThat(visitor.post(shop.page() + "/code", Map.of("number", "+447700902222", "kind", "export")).status()).isEqualTo(429);
        assertThat(busy.post(shop.page() + "/code", Map.of("number", "+447700902222", "kind", "export")).status()).isEqualTo(200);

        Response bad = busy.post(shop.page() + "/code", Map.of("number", "not a number", "kind", "export"));
        assertThat(bad.status()).isEqualTo(400);

        Shop other = shop("approval");
        Response asked = browser().post(other.page() + "/code", Map.of("number", "+" + other.customer(), "kind", "export"));
        String code = codeOnThePhone(other);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < RequestCodes.MAX_ATTEMPTS - 1; i++) {
            assertThat(browser().post(other.page() + "/verify", Map.of("attempt", attempt(asked), "code", wrong)).text()).contains("That code is not right.");
        }
        assertThat(browser().post(other.page() + "/verify", Map.of("attempt", attempt(asked), "code", wrong)).text()).contains("too many were tried");
        assertThat(browser().post(other.page() + "/verify", Map.of("attempt", attempt(asked), "code", code)).status()).isEqualTo(400);

        Response again = browser().post(other.page() + "/code", Map.of("number", "+" + other.customer(), "kind", "export"));
        String second = Eventually.await(() -> codeOnThePhone(other), c -> !c.equals(code), "a second code");
        clock.advance(Duration.ofMinutes(11));
        try {
            Response late = browser().post(other.page() + "/verify", Map.of("attempt", attempt(again), "code", second));
            assertThat(late.status()).isEqualTo(400);
            assertThat(late.text()).contains("expired");
        } finally {
            clock.reset();
        }
        assertThat(requests(other.sandbox().id())).isZero();
    }

    @Test
    void an_admin_rejects_a_request_with_a_reason_the_person_sees_and_it_is_audited() {
        Shop shop = shop("approval");
        WebClient admin = browser();
        Fixtures.Person person = fixtures.member(shop.sandbox().workspace(), Role.ADMIN);
        admin.signIn(person.email(), Fixtures.PASSWORD);
        assertThat(admin.follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+" + shop.customer())).text())
                .contains("The request is recorded and awaits approval.");
        Map<String, Object> row = jdbc.sql("select id, confirmation_code, source, recorded_by_name from privacy_requests where tenant_id = :t")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row.get("source")).isEqualTo("member");
        assertThat(row.get("recorded_by_name")).isEqualTo(person.name());
        String id = row.get("id").toString();

        assertThat(admin.follow("/settings/privacy/requests/" + id + "/reject", Map.of("reason", " ")).text()).contains("Give the reason");
        assertThat(jdbc.sql("select state from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single())
                .isEqualTo("awaiting_approval");

        assertThat(admin.follow("/settings/privacy/requests/" + id + "/reject", Map.of("reason", "We <b>need</b> an ID first")).text())
                .contains("The request is rejected.");
        Response status = browser().get(shop.page() + "/requests/" + row.get("confirmation_code"));
        assertThat(status.text()).contains("Rejected").contains("We &lt;b&gt;need&lt;/b&gt; an ID first");
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'privacy.request_rejected' and target_id = :id")
                .param("t", shop.sandbox().id()).param("id", id).query(Long.class).single()).isEqualTo(1);

        assertThat(admin.follow("/settings/privacy/requests/" + id + "/approve", Map.of()).text()).contains("already decided");
    }

    @Test
    void the_list_shows_open_requests_first_marks_the_overdue_and_filters_by_state() {
        Shop shop = shop("approval");
        WebClient owner = shop.owner();
        assertThat(owner.get("/settings/privacy/requests").text()).contains("No privacy requests yet");
        owner.follow("/settings/privacy/requests", Map.of("kind", "erasure", "number", "+447700900555"));
        owner.follow("/settings/privacy/requests", Map.of("kind", "access", "number", "+" + shop.customer()));
        Response list = owner.get("/settings/privacy/requests");
        assertThat(list.text()).doesNotContain("data-testid=\"overdue\"");
        assertThat(list.text().indexOf("kind\">Access to their data")).as("the open request comes before the closed one")
                .isPositive().isLessThan(list.text().indexOf("kind\">Erasure of their data"));

        clock.advance(Duration.ofDays(31));
        try {
            Response later = owner.get("/settings/privacy/requests");
            assertThat(later.text()).contains("data-testid=\"overdue\"").contains("One open request is past its due date.");
            assertThat(later.text().split("data-testid=\"overdue\"", -1)).hasSize(2);
        } finally {
            clock.reset();
        }
        Response done = owner.get("/settings/privacy/requests?state=done");
        assertThat(done.text()).contains("kind\">Erasure of their data").doesNotContain("kind\">Access to their data");
        assertThat(owner.get("/settings/privacy/requests?state=rejected").text()).contains("No requests in this state.");
    }

    @Test
    void the_business_text_is_shown_as_text_never_as_html() {
        Shop shop = shop("approval");
        shop.owner().post("/settings/privacy/public-page", Map.of("text", "**Bold** <script>alert(1)</script>\n- one item", "rule", "approval", "dueDays", "14"));
        Response page = browser().get(shop.page());
        assertThat(page.text()).contains("<strong>Bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;").contains("<li>one item</li>")
                .doesNotContain("<script>alert(1)</script>").contains("We answer within 14 days.");
        Response refused = shop.owner().follow("/settings/privacy/public-page", Map.of("text", "x", "rule", "approval", "dueDays", "400"));
        assertThat(refused.text()).contains("from 1 to 90");
        assertThat(jdbc.sql("select due_days from privacy_public_pages where tenant_id = :t").param("t", shop.sandbox().id()).query(Integer.class).single())
                .isEqualTo(14);
    }

    @Test
    void metas_data_deletion_callback_with_a_good_signature_records_an_erasure_request_and_answers_its_status_page() {
        Shop shop = shop("approval");
        String secret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where tenant_id = :t")
                .param("t", shop.sandbox().id()).query(String.class).single());
        String payload = "{\"algorithm\":\"HMAC-SHA256\",\"expires\":1291840400,\"issued_at\":1291836800,\"user_id\":\"218471\"}";

        WebClient meta = browser();
        Response forged = meta.postRaw(shop.page() + "/meta-data-deletion", Map.of("signed_request", MetaSignedRequests.sign(payload, "not-the-secret")));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.text()).contains("invalid_signed_request");
        Response garbage = meta.postRaw(shop.page() + "/meta-data-deletion", Map.of("signed_request", "abc"));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(requests(shop.sandbox().id())).isZero();

        Response answered = meta.postRaw(shop.page() + "/meta-data-deletion", Map.of("signed_request", MetaSignedRequests.sign(payload, secret)));
        assertThat(answered.status()).as(answered.text()).isEqualTo(200);
        JsonNode json = ApiClient.json(answered);
        String code = json.get("confirmation_code").asString();
        assertThat(json.get("url").asString()).isEqualTo(baseUrl() + shop.page() + "/requests/" + code);
        Map<String, Object> row = jdbc.sql("select kind, source, state, confirmation_code from privacy_requests where tenant_id = :t")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row).containsEntry("kind", "erasure").containsEntry("source", "meta_callback").containsEntry("confirmation_code", code);
        assertThat(browser().get(json.get("url").asString()).text()).contains(code).contains("Erasure of their data");
    }

    @Test
    void another_workspaces_request_or_an_unknown_page_is_not_found_and_agents_do_not_see_requests() {
        Shop shop = shop("approval");
        shop.owner().follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+" + shop.customer()));
        String id = jdbc.sql("select id from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single();

        var elsewhere = fixtures.workspace("Elsewhere");
        WebClient stranger = browser();
        stranger.signIn(elsewhere.owner().email(), Fixtures.PASSWORD);
        assertThat(stranger.post("/settings/privacy/requests/" + id + "/reject", Map.of("reason", "no")).status()).isEqualTo(404);
        assertThat(stranger.post("/settings/privacy/requests/" + id + "/approve", Map.of()).status()).isEqualTo(404);
        assertThat(jdbc.sql("select state from privacy_requests where id = :id").param("id", UUID.fromString(id)).query(String.class).single())
                .isEqualTo("awaiting_approval");
        assertThat(browser().get("/privacy/no-such-page").status()).isEqualTo(404);
        assertThat(browser().get(shop.page() + "/requests/no-such-code").status()).isEqualTo(404);

        WebClient agent = browser();
        agent.signIn(fixtures.member(shop.sandbox().workspace(), Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.get("/settings/privacy/requests").status()).isEqualTo(403);
        WebClient admin = browser();
        admin.signIn(fixtures.member(shop.sandbox().workspace(), Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.get("/settings/privacy/public-page").status()).isEqualTo(403);
        assertThat(admin.get("/settings/privacy/requests").status()).isEqualTo(200);
    }

    @Test
    void approving_an_erasure_needs_the_typed_word_and_without_it_nothing_changes() {
        Shop shop = shop("approval");
        shop.owner().follow("/settings/privacy/requests", Map.of("kind", "erasure", "number", "+" + shop.customer()));
        String id = jdbc.sql("select id from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single();
        Response list = shop.owner().get("/settings/privacy/requests");
        assertThat(list.text()).contains("Type \"erase\" to erase this person").contains("data-confirm=\"Approving erases this person");
        assertThat(shop.owner().follow("/settings/privacy/requests/" + id + "/approve", Map.of("confirm", "yes")).text())
                .contains("Type \"erase\" to confirm the erasure.");
        assertThat(jdbc.sql("select state from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single())
                .isEqualTo("awaiting_approval");
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t and wa_id = :w").param("t", shop.sandbox().id())
                .param("w", shop.customer()).query(Long.class).single()).isEqualTo(1);
    }

    @Autowired
    RequestErasure requestErasure;

    @Autowired
    RequestRetention requestRetention;

    @Test
    void erasing_a_person_keeps_their_requests_without_the_contact_or_number_and_removes_their_codes() {
        Shop shop = shop("approval");
        shop.owner().follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+" + shop.customer()));
        browser().post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "export"));
        browser().post(shop.page() + "/code", Map.of("number", "+447700900444", "kind", "export"));
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.sandbox().id())
                .param("w", shop.customer()).query(UUID.class).single();

        Map<String, Long> removed = requestErasure.erase(new hexa.platform.privacy.ErasedPerson(shop.sandbox().id(), contact, java.util.List.of(shop.customer())));
        assertThat(removed).containsEntry("privacy_requests", 1L).containsEntry("privacy_request_codes", 1L);
        Map<String, Object> row = jdbc.sql("select contact_id, phone_number, kind, state from privacy_requests where tenant_id = :t and kind = 'export' and source = 'member'")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row.get("contact_id")).isNull();
        assertThat(row.get("phone_number")).isNull();
        assertThat(row.get("state")).isEqualTo("awaiting_approval");
        assertThat(jdbc.sql("select phone_number from privacy_request_codes where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).list())
                .containsExactly("+447700900444");
    }

    @Test
    void retention_removes_closed_requests_with_the_logs_and_codes_after_the_hour_of_the_rate_limit() {
        Shop shop = shop("approval");
        shop.owner().follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+447700900777"));
        shop.owner().follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+" + shop.customer()));
        browser().post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "export"));
        java.time.Instant later = clock.instant().plus(Duration.ofDays(181));
        var rules = new hexa.platform.privacy.RetentionPurge.Rules(shop.sandbox().id(), later, java.util.Optional.empty(), later.minus(Duration.ofDays(180)),
                java.util.Optional.empty(), later.minus(Duration.ofDays(7)), java.util.Set.of());

        assertThat(requestRetention.purge(rules, true)).containsEntry("privacy_requests", 1L).containsEntry("privacy_request_codes", 1L);
        assertThat(requests(shop.sandbox().id())).isEqualTo(2);
        assertThat(requestRetention.purge(rules, false)).containsEntry("privacy_requests", 1L).containsEntry("privacy_request_codes", 1L);
        assertThat(jdbc.sql("select state from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).list())
                .as("the open request stays, however old").containsExactly("awaiting_approval");
    }

    // The three tests below need the export and erasure built by the other parts of the privacy work: they pass once merged.

    @Test
    void after_merge_an_admin_approving_an_export_request_starts_the_export() {
        Shop shop = shop("approval");
        WebClient admin = browser();
        admin.signIn(fixtures.member(shop.sandbox().workspace(), Role.ADMIN).email(), Fixtures.PASSWORD);
        admin.follow("/settings/privacy/requests", Map.of("kind", "export", "number", "+" + shop.customer()));
        String id = jdbc.sql("select id from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id()).query(String.class).single();
        assertThat(admin.follow("/settings/privacy/requests/" + id + "/approve", Map.of()).text()).contains("The request is approved.");
        Map<String, Object> row = jdbc.sql("select state, export_job_id, decided_by_name from privacy_requests where tenant_id = :t")
                .param("t", shop.sandbox().id()).query().singleRow();
        assertThat(row.get("state")).isIn("approved", "done");
        assertThat(row.get("export_job_id")).isNotNull();
        assertThat(jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = 'privacy.request_approved'")
                .param("t", shop.sandbox().id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void after_merge_the_automatic_rule_erases_the_person_once_they_proved_their_number() {
        Shop shop = shop("automatic");
        WebClient visitor = browser();
        Response asked = visitor.post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "erasure"));
        Response confirmed = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", codeOnThePhone(shop)));
        assertThat(confirmed.status()).isEqualTo(302);
        assertThat(visitor.get(confirmed.location()).text()).contains("Your data was erased.");
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t and wa_id = :w").param("t", shop.sandbox().id())
                .param("w", shop.customer()).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select phone_number from privacy_requests where tenant_id = :t").param("t", shop.sandbox().id())
                .query(String.class).optional().orElse(null)).isNull();
    }

    @Test
    void after_merge_an_automatic_export_from_the_page_is_offered_for_download_and_its_link_sent_on_whatsapp() {
        Shop shop = shop("automatic");
        Eventually.until(() -> "APPROVED".equals(jdbc.sql("select status from whatsapp_templates where tenant_id = :t and name = :n")
                .param("t", shop.sandbox().id()).param("n", hexa.whatsapp.DownloadLinks.TEMPLATE).query(String.class).optional().orElse("")),
                "the link template to be approved");
        WebClient visitor = browser();
        Response asked = visitor.post(shop.page() + "/code", Map.of("number", "+" + shop.customer(), "kind", "export"));
        Response confirmed = visitor.post(shop.page() + "/verify", Map.of("attempt", attempt(asked), "code", codeOnThePhone(shop)));
        assertThat(confirmed.status()).isEqualTo(302);
        String statusPage = confirmed.location();
        Response ready = Eventually.await(() -> visitor.get(statusPage), r -> r.text().contains("data-testid=\"download\""), "the export to be ready");
        assertThat(ready.text()).contains("Your export is ready.");
        Response file = visitor.get(statusPage + "/download");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Content-Type")).startsWith("application/zip");
        Eventually.until(() -> shop.sandbox().customer().chat(shop.customer()).toString().contains(statusPage), "the link to reach the customer's phone");

        clock.advance(Duration.ofHours(25));
        try {
            assertThat(visitor.get(statusPage).text()).doesNotContain("data-testid=\"download\"");
            assertThat(visitor.get(statusPage + "/download").status()).isEqualTo(404);
        } finally {
            clock.reset();
        }
    }
}
