package hexa.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.contacts.ContactFilter;
import hexa.contacts.ContactSegments;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The campaign pages over HTTP as a Supervisor uses them: an empty list that invites a first campaign; a form refused field
 * by field with everything typed kept; a draft with who it reaches by reason and a preview for real recipients; changed,
 * started, watched and its recipients filtered; another campaign cancelled; every step in the audit trail. Hostile names
 * come back as text; Agents are kept out; another workspace's campaign is not found.
 */
class CampaignPagesTest extends HexaIntegrationTest {

    private static final String HOSTILE = "<script>alert('x')</script>";

    @Autowired
    CampaignPrices prices;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SandboxNumbers sandbox;
    @Autowired
    ContactSegments segments;

    private Fixtures.SandboxWorkspace shop;
    private ApiClient api;
    private WebClient supervisor;

    @BeforeEach
    void aShopWithANumberAndATemplate() {
        shop = fixtures.withSandboxNumber("Campaign Pages " + UUID.randomUUID().toString().substring(0, 6));
        api = api(fixtures.apiToken(shop.workspace(), Role.SUPERVISOR));
        supervisor = browser();
        supervisor.signIn(fixtures.member(shop.workspace(), Role.SUPERVISOR).email(), Fixtures.PASSWORD);
        approvedTemplate("spring_note", "MARKETING", "Hello {{1}}, our {{2}} starts today.", 2);
    }

    @Test
    void a_supervisor_writes_a_campaign_sees_who_it_reaches_starts_it_and_watches_it() {
        Response empty = supervisor.get("/campaigns");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.text()).contains("data-testid=\"campaigns-empty\"", "href=\"/campaigns/new\"");

        UUID anna = contact("{\"name\": \"Anna " + json(HOSTILE) + "\", \"phone\": \"+49 151 2000 0001\"}", "opted_in", "vip");
        UUID ben = contact("{\"name\": \"Ben Ode\", \"phone\": \"+49 151 2000 0002\"}", null, "vip");
        contact("{\"name\": \"Cara\", \"phone\": \"+49 151 2000 0003\"}", "opted_in", null);
        UUID vip;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            vip = segments.create("VIPs", new ContactFilter(null, List.of("vip"), "any", null, null, null, null, null, null, null, null, null)).id();
        }

        Response form = supervisor.get("/campaigns/new");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.text()).contains("value=\"spring_note|en_US\"", "value=\"" + vip + "\"", "VIPs", "value=\"" + shop.number().id() + "\"");
        // Choosing the template brings its placeholders (htmx).
        Response placeholders = supervisor.post("/campaigns/form/variables?version=A", List.of(Map.entry("template", "spring_note|en_US")));
        assertThat(placeholders.text()).contains("name=\"A.body.0.source\"", "name=\"A.body.1.source\"", "Hello {{1}}, our {{2}} starts today.")
                .doesNotContain("A.body.2.source", "<html");

        // Refused field by field; what was typed comes back.
        Response refused = supervisor.post("/campaigns", List.of(Map.entry("name", ""), Map.entry("audienceKind", "TAGS"), Map.entry("tags", ""),
                Map.entry("excludeTags", "staff, blocked-ones"), Map.entry("template", "spring_note|en_US"),
                Map.entry("A.body.0.source", "TEXT"), Map.entry("A.body.0.text", ""), Map.entry("A.body.1.source", "TEXT"),
                Map.entry("A.body.1.text", "spring sale"), Map.entry("scheduleKind", "AT"), Map.entry("at", "soon"),
                Map.entry("timeZone", "Mars/Olympus")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("data-field=\"name\"", "data-field=\"tags\"", "data-field=\"A.body.0\"", "data-field=\"numbers\"",
                "data-field=\"at\"", "data-field=\"timeZone\"", "Choose at least one number to send from.", "Write the text.")
                .contains("value=\"staff, blocked-ones\"", "value=\"spring sale\"", "value=\"Mars/Olympus\"", "<option value=\"TAGS\" selected>");
        assertThat(campaigns()).isZero();

        Response created = supervisor.post("/campaigns", draft("Spring " + HOSTILE, vip, "spring_note|en_US"));
        assertThat(created.status()).as(created.text()).isEqualTo(302);
        String page = created.location();
        UUID id = UUID.fromString(page.substring("/campaigns/".length()));
        Response draft = supervisor.get(page);
        assertThat(draft.text()).contains("saved as a draft", "Spring &lt;script&gt;", "data-status=\"DRAFT\"", "data-testid=\"start-campaign\"",
                "sse-connect=\"/campaigns/" + id + "/live\"").doesNotContain(HOSTILE);

        // Who it reaches, by reason, and the message as two real recipients get it.
        Response audience = supervisor.get(page + "/audience", Map.of("HX-Request", "true"));
        assertThat(audience.text()).contains("data-testid=\"audience-reached\">1<", "data-reason=\"NO_CONSENT\"", "No marketing consent")
                .doesNotContain("<html");
        // And what it would cost before anything is sent: one marketing message to Germany at the price table's rate.
        assertThat(audience.text()).contains("data-testid=\"audience-estimate\">"
                + prices.price("MARKETING", "DE").setScale(2, java.math.RoundingMode.HALF_UP).toPlainString() + " " + prices.currency() + "<");
        Response preview = supervisor.get(page + "/preview", Map.of("HX-Request", "true"));
        assertThat(preview.text()).contains("Hello Anna, our spring sale starts today.", "Anna &lt;script&gt;").doesNotContain(HOSTILE);

        // Edited as a draft: the form comes back filled in, and the change is saved.
        Response edit = supervisor.get(page + "/edit");
        assertThat(edit.text()).contains("value=\"Spring &lt;script", "<option value=\"spring_note|en_US\" selected>", "value=\"spring sale\"");
        List<Map.Entry<String, String>> renamed = new ArrayList<>(draft("Spring note", vip, "spring_note|en_US"));
        assertThat(supervisor.post(page, renamed).status()).isEqualTo(302);
        assertThat(supervisor.get(page).text()).contains("Spring note");

        // Started: the funnel fills in, the recipients can be filtered and searched.
        Response started = supervisor.post(page + "/start", Map.of());
        assertThat(started.status()).isEqualTo(302);
        assertThat(supervisor.get(started.location()).text()).contains("Campaign \u201cSpring note\u201d started.");
        Eventually.until(() -> supervisor.get(page + "/status", Map.of("HX-Request", "true")).text().contains("data-status=\"FINISHED\""),
                "the campaign to finish");
        Response funnel = supervisor.get(page + "/funnel", Map.of("HX-Request", "true"));
        assertThat(funnel.text()).contains("data-testid=\"funnel-recipients\">1<", "data-reason=\"NO_CONSENT\"").doesNotContain("<html");
        Response excluded = supervisor.get(page + "/recipients?state=EXCLUDED&q=ben", Map.of("HX-Request", "true"));
        assertThat(excluded.text()).contains("Ben Ode", "href=\"/contacts/" + ben + "\"").doesNotContain("Anna");
        Response byName = supervisor.get(page + "/recipients?q=anna", Map.of("HX-Request", "true"));
        assertThat(byName.text()).contains("href=\"/contacts/" + anna + "\"", "Anna &lt;script&gt;").doesNotContain("Ben Ode", HOSTILE);
        Response csv = supervisor.get(page + "/recipients.csv");
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.text()).contains("Ben Ode,'+4915120000002,Excluded,No marketing consent");
        Response list = supervisor.get("/campaigns");
        assertThat(list.text()).contains("Spring note", "data-status=\"FINISHED\"", "data-testid=\"row-recipients\">1<");
        // A finished campaign cannot be paused: said plainly, nothing changes.
        Response pause = supervisor.post(page + "/pause", Map.of());
        assertThat(supervisor.get(pause.location()).text()).contains("only a campaign that is being prepared or sending can be paused");

        // "Send again to those who did not read": a follow-up draft to this campaign's recipients.
        Response followUp = supervisor.post(page + "/follow-up", Map.of("rule", "NOT_READ"));
        assertThat(followUp.location()).startsWith("/campaigns/").isNotEqualTo(page);
        assertThat(supervisor.get(followUp.location()).text()).contains("Spring note — not read", "who did not read it", "data-status=\"DRAFT\"");

        // Another campaign, cancelled before it starts.
        Response second = supervisor.post("/campaigns", draft("Later", vip, "spring_note|en_US"));
        String secondPage = second.location();
        assertThat(supervisor.get(supervisor.post(secondPage + "/cancel", Map.of()).location()).text()).contains("data-status=\"CANCELLED\"");

        assertThat(audit("campaign.created")).isEqualTo(2);
        assertThat(audit("campaign.follow_up_created")).isEqualTo(1);
        assertThat(audit("campaign.updated")).isEqualTo(1);
        assertThat(audit("campaign.started")).isEqualTo(1);
        assertThat(audit("campaign.cancelled")).isEqualTo(1);
        assertThat(audit("campaign.paused")).isZero();
    }

    @Test
    void a_campaign_to_the_numbers_of_a_file_keeps_the_file_when_the_form_is_refused() {
        byte[] file = "phone,consent\n+49 151 3000 0001,yes\n+49 151 3000 0002,no\nnot a number,yes\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("name", "");
        fields.put("audienceKind", "UPLOAD");
        fields.put("template", "spring_note|en_US");
        fields.put("A.body.0.source", "TEXT");
        fields.put("A.body.0.text", "friend");
        fields.put("A.body.1.source", "TEXT");
        fields.put("A.body.1.text", "sale");
        fields.put("numbers", shop.number().id().toString());
        fields.put("scheduleKind", "NOW");
        Response refused = supervisor.multipart("/campaigns", fields, List.of(new WebClient.FilePart("uploadFile", "regulars.csv", "text/csv", file)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("data-field=\"name\"", "data-testid=\"upload-kept\"", "File regulars.csv is kept");
        assertThat(campaigns()).isZero();
        assertThat(jdbc.sql("select count(*) from contacts where tenant_id = :t").param("t", shop.id()).query(Long.class).single())
                .as("nothing of the file is written while the form is refused").isZero();

        // Sent again without choosing the file again: the kept file is the audience.
        String kept = first("(?s)name=\"uploadText\"[^>]*>([^<]*)</textarea>", refused.text());
        fields.put("name", "From the file");
        fields.put("uploadText", org.springframework.web.util.HtmlUtils.htmlUnescape(kept));
        fields.put("uploadName", "regulars.csv");
        Response created = supervisor.multipart("/campaigns", fields, List.of());
        assertThat(created.status()).as(created.text()).isEqualTo(302);
        assertThat(supervisor.get(created.location()).text()).contains("The numbers of the file regulars.csv");
        Response audience = supervisor.get(created.location() + "/audience", Map.of("HX-Request", "true"));
        assertThat(audience.text()).contains("data-testid=\"audience-reached\">1<", "data-reason=\"OPTED_OUT\"");
    }

    private static String first(String pattern, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(text);
        assertThat(m.find()).as(pattern).isTrue();
        return m.group(1);
    }

    @Test
    void agents_are_kept_out_and_another_workspaces_campaign_is_not_found() {
        contact("{\"name\": \"Dev\", \"phone\": \"+49 151 2000 0011\"}", "opted_in", "vip");
        UUID id = UUID.fromString(ApiClient.json(api.send("POST", "/api/v1/campaigns", """
                {"name": "Ours", "template": {"name": "spring_note", "language": "en_US"},
                 "variables": {"body": [{"source": "TEXT", "key": "friend"}, {"source": "TEXT", "key": "sale"}]},
                 "audience": {"tags": ["vip"], "match": "ANY"}}
                """)).get("id").asString());

        WebClient agent = browser();
        agent.signIn(fixtures.member(shop.workspace(), Role.AGENT).email(), Fixtures.PASSWORD);
        assertThat(agent.get("/campaigns").status()).isEqualTo(403);
        assertThat(agent.get("/campaigns/" + id).status()).isEqualTo(403);
        assertThat(agent.post("/campaigns/" + id + "/start", Map.of()).status()).isEqualTo(403);

        Fixtures.TestWorkspace other = fixtures.workspace("Elsewhere " + UUID.randomUUID().toString().substring(0, 6));
        WebClient stranger = browser();
        stranger.signIn(other.owner().email(), Fixtures.PASSWORD);
        for (String path : List.of("", "/edit", "/status", "/funnel", "/preview", "/audience", "/recipients", "/recipients.csv", "/live")) {
            assertThat(stranger.get("/campaigns/" + id + path).status()).as(path).isEqualTo(404);
        }
        for (String action : List.of("/start", "/pause", "/resume", "/cancel", "/follow-up", "")) {
            assertThat(stranger.post("/campaigns/" + id + action, Map.of()).status()).as(action).isEqualTo(404);
        }
        assertThat(stranger.get("/campaigns/not-an-id").status()).isEqualTo(404);
        assertThat(jdbc.sql("select status from campaigns where id = :id").param("id", id).query(String.class).single()).isEqualTo("DRAFT");
    }

    private List<Map.Entry<String, String>> draft(String name, UUID segment, String template) {
        return List.of(Map.entry("name", name), Map.entry("audienceKind", "SEGMENT"), Map.entry("segmentId", segment.toString()),
                Map.entry("template", template), Map.entry("A.body.0.source", "FIELD"), Map.entry("A.body.0.field", "firstName"),
                Map.entry("A.body.0.fallback", "there"), Map.entry("A.body.1.source", "TEXT"), Map.entry("A.body.1.text", "spring sale"),
                Map.entry("numbers", shop.number().id().toString()), Map.entry("scheduleKind", "NOW"), Map.entry("timeZone", "Asia/Kolkata"));
    }

    private long campaigns() {
        return jdbc.sql("select count(*) from campaigns where tenant_id = :t").param("t", shop.id()).query(Long.class).single();
    }

    private long audit(String action) {
        return jdbc.sql("select count(*) from audit_events where tenant_id = :t and action = :a").param("t", shop.id()).param("a", action)
                .query(Long.class).single();
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

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
