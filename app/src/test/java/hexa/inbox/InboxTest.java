package hexa.inbox;

import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import hexa.whatsapp.ConnectionService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The team inbox over HTTP: views, who sees what, replies, notes and mentions, status changes, tags, paging, hostile text. */
class InboxTest extends HexaIntegrationTest {

    private static final Pattern ROW = Pattern.compile("data-conversation=\"([0-9a-f-]{36})\" data-testid=\"conversation-row\"");

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConversationService conversationService;

    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private WebClient owner;
    private Fixtures.Person agentPerson;
    private WebClient agent;

    private hexa.support.SandboxCustomer customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumberAndAnAgent() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Inbox Co " + UUID.randomUUID().toString().substring(0, 6));
        workspace = shop.workspace();
        number = shop.number();
        customer = shop.customer();
        owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        agentPerson = fixtures.member(workspace, Role.AGENT);
        agent = browser();
        agent.signIn(agentPerson.email(), Fixtures.PASSWORD);
    }

    @Test
    void a_customers_message_waits_unassigned_and_unread_for_every_member_who_may_see_it() {
        UUID conversation = customer.writes("919800000101", "Is the blue kurta in stock?");

        Response unassigned = agent.get("/inbox?view=unassigned");
        assertThat(unassigned.status()).isEqualTo(200);
        assertThat(rows(unassigned)).containsExactly(conversation);
        assertThat(unassigned.text()).contains("Is the blue kurta in stock?").contains("data-testid=\"unread-unassigned\"");
        assertThat(rows(agent.get("/inbox?view=mine"))).isEmpty();
        // Agents have no "All" view; asking for it shows their own.
        assertThat(agent.get("/inbox?view=all").text()).doesNotContain("data-view=\"all\"");
        assertThat(rows(owner.get("/inbox?view=all"))).containsExactly(conversation);

        Response opened = agent.get("/inbox/conversations/" + conversation);
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.text()).contains("Is the blue kurta in stock?").contains("data-window=\"open\"");
        // Opening it read it, for the whole team.
        assertThat(agent.get("/inbox?view=unassigned").text()).doesNotContain("data-testid=\"unread-unassigned\"");
    }

    @Test
    void an_agent_sees_their_own_and_unassigned_conversations_but_not_a_colleagues() {
        UUID conversation = customer.writes("919800000102", "Where is my order?");
        Fixtures.Person otherAgent = fixtures.member(workspace, Role.AGENT);

        Response assigned = owner.post("/inbox/conversations/" + conversation + "/assign", Map.of("assignee", otherAgent.id().toString()));
        assertThat(assigned.status()).isEqualTo(302);

        assertThat(agent.get("/inbox/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(agent.post("/inbox/conversations/" + conversation + "/status", Map.of("action", "resolve")).status()).isEqualTo(404);
        assertThat(rows(agent.get("/inbox?view=unassigned"))).isEmpty();
        WebClient colleague = browser();
        colleague.signIn(otherAgent.email(), Fixtures.PASSWORD);
        assertThat(rows(colleague.get("/inbox?view=mine"))).containsExactly(conversation);
        assertThat(colleague.get("/inbox/conversations/" + conversation).status()).isEqualTo(200);
        assertThat(jdbc.sql("select status from conversations where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", conversation).query(String.class).single()).isEqualTo("OPEN");
        // The colleague was told about the assignment.
        assertThat(jdbc.sql("select count(*) from inbox_notifications where tenant_id = :t and user_id = :u and kind = 'ASSIGNED'")
                .param("t", workspace.id()).param("u", otherAgent.id()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void an_agent_replies_from_the_conversation_and_the_customer_receives_it() {
        UUID conversation = customer.writes("919800000103", "Can I pay on delivery?");
        agent.get("/inbox/conversations/" + conversation);

        Response sent = agent.post("/inbox/conversations/" + conversation + "/reply", Map.of("body", "Yes, cash or UPI."));
        assertThat(sent.status()).isEqualTo(302);
        assertThat(sent.location()).contains("/inbox/conversations/" + conversation);

        until(() -> jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND' and status in ('DELIVERED', 'READ')")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single() == 1, "the reply to be delivered");
        Response page = agent.get("/inbox/conversations/" + conversation);
        assertThat(page.text()).contains("Yes, cash or UPI.").containsPattern("data-ticks=\"(delivered|read)\"");
        // The customer now waits for nobody: "waiting longest" no longer lists it.
        assertThat(rows(agent.get("/inbox?view=unassigned&sort=waiting"))).doesNotContain(conversation);
    }

    @Test
    void a_private_note_mentions_a_member_and_never_reaches_the_customer() {
        UUID conversation = customer.writes("919800000104", "I need a refund");
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        String handle = supervisor.email().split("@")[0];

        Response noted = agent.post("/inbox/conversations/" + conversation + "/notes", Map.of("body", "@" + handle + " can you approve this?"));
        assertThat(noted.status()).isEqualTo(302);

        assertThat(agent.get("/inbox/conversations/" + conversation).text()).contains("can you approve this?").contains("data-testid=\"note\"");
        assertThat(jdbc.sql("select count(*) from inbox_notifications where tenant_id = :t and user_id = :u and kind = 'MENTION'")
                .param("t", workspace.id()).param("u", supervisor.id()).query(Integer.class).single()).isEqualTo(1);
        WebClient mentioned = browser();
        mentioned.signIn(supervisor.email(), Fixtures.PASSWORD);
        assertThat(mentioned.get("/inbox").text()).contains("data-testid=\"notification-count\">1<");
        assertThat(mentioned.get("/inbox/notifications").text()).contains(agentPerson.name() + " mentioned you in a note");
        // Opening the conversation settles it.
        mentioned.get("/inbox/conversations/" + conversation);
        assertThat(mentioned.get("/inbox").text()).doesNotContain("data-testid=\"notification-count\"");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND'")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single()).isZero();
        // An empty note is refused and nothing is written.
        agent.post("/inbox/conversations/" + conversation + "/notes", Map.of("body", "   "));
        assertThat(jdbc.sql("select count(*) from conversation_notes where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void resolve_snooze_and_pending_move_the_conversation_between_lists_and_a_new_message_brings_it_back() {
        UUID conversation = customer.writes("919800000105", "Thanks!");

        agent.follow("/inbox/conversations/" + conversation + "/status", Map.of("action", "resolve"));
        assertThat(rows(agent.get("/inbox?view=unassigned&status=open"))).doesNotContain(conversation);
        assertThat(rows(agent.get("/inbox?view=unassigned&status=resolved"))).contains(conversation);

        agent.follow("/inbox/conversations/" + conversation + "/status", Map.of("action", "reopen"));
        agent.follow("/inbox/conversations/" + conversation + "/snooze", Map.of("hours", "2"));
        assertThat(rows(agent.get("/inbox?view=unassigned&status=snoozed"))).contains(conversation);
        clock.advance(Duration.ofHours(3));
        try {
            conversationService.wakeSnoozed();
        } finally {
            clock.advance(Duration.ofHours(-3));
        }
        assertThat(rows(agent.get("/inbox?view=unassigned&status=open"))).contains(conversation);

        agent.follow("/inbox/conversations/" + conversation + "/status", Map.of("action", "pending"));
        assertThat(rows(agent.get("/inbox?view=unassigned&status=pending"))).contains(conversation);
        customer.writes("919800000105", "One more question");
        assertThat(rows(agent.get("/inbox?view=unassigned&status=open"))).contains(conversation);

        // A time in the past is refused.
        Response past = agent.post("/inbox/conversations/" + conversation + "/snooze", Map.of("until", "2001-01-01T10:00"));
        assertThat(past.status()).isEqualTo(302);
        assertThat(agent.get(past.location()).text()).contains("Choose a time in the future");
    }

    @Test
    void tags_are_added_filtered_on_and_removed_and_a_bad_tag_is_refused() {
        UUID tagged = customer.writes("919800000106", "Bulk order for 200 pieces");
        UUID other = customer.writes("919800000107", "Hello");

        agent.post("/inbox/conversations/" + tagged + "/tags", Map.of("tag", "  Wholesale "));
        assertThat(rows(agent.get("/inbox?view=unassigned&tag=wholesale"))).containsExactly(tagged);
        assertThat(rows(agent.get("/inbox?view=unassigned"))).contains(tagged, other);

        Response bad = agent.post("/inbox/conversations/" + tagged + "/tags", Map.of("tag", "<script>"));
        assertThat(agent.get(bad.location()).text()).contains("A tag is 1 to 50");
        assertThat(jdbc.sql("select count(*) from conversation_tags where tenant_id = :t").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(1);

        agent.post("/inbox/conversations/" + tagged + "/tags/remove", Map.of("tag", "wholesale"));
        assertThat(rows(agent.get("/inbox?view=unassigned&tag=wholesale"))).isEmpty();
    }

    @Test
    void the_list_pages_by_keyset_without_gaps_or_repeats() {
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(customer.writes("9198000002" + String.format("%02d", i), "Message " + i));
        }

        Response first = owner.get("/inbox?view=all");
        List<UUID> page1 = rows(first);
        assertThat(page1).hasSize(25);
        Matcher more = Pattern.compile("href=\"(/inbox\\?[^\"]*cursor=[^\"]+)\" data-testid=\"list-more\"").matcher(first.text());
        assertThat(more.find()).isTrue();
        List<UUID> page2 = rows(owner.get(more.group(1).replace("&amp;", "&")));
        assertThat(page2).hasSize(5).doesNotContainAnyElementsOf(page1);
        List<UUID> together = new ArrayList<>(page1);
        together.addAll(page2);
        assertThat(together).containsExactlyInAnyOrderElementsOf(all);
        // The newest conversation comes first.
        assertThat(page1.get(0)).isEqualTo(all.get(29));
        assertThat(owner.get("/inbox?view=all&cursor=not-a-cursor").status()).isEqualTo(400);
    }

    @Test
    void hostile_text_from_a_customer_is_shown_as_text() {
        String hostile = "<img src=x onerror=alert(1)><script>alert(2)</script><a href=\"javascript:alert(3)\">x</a>";
        UUID conversation = customer.writes("919800000108", hostile, "<b>Evil</b> Name");

        for (Response page : List.of(agent.get("/inbox?view=unassigned"), agent.get("/inbox/conversations/" + conversation))) {
            assertThat(page.text()).doesNotContain("<img src=x").doesNotContain("<script>alert").doesNotContain("<a href=\"javascript:")
                    .doesNotContain("<b>Evil</b>")
                    .contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;b&gt;Evil&lt;/b&gt; Name");
        }
    }

    @Test
    void search_finds_words_and_numbers_the_member_may_see_and_opens_the_message_in_its_conversation() {
        UUID mine = customer.writes("919800000501", "Do you ship to Ahmedabad by Friday?");
        customer.writes("919800000501", "Also need a GST invoice");
        UUID colleagues = customer.writes("919800000502", "Ahmedabad store timings?");
        Fixtures.Person colleague = fixtures.member(workspace, Role.AGENT);
        owner.follow("/inbox/conversations/" + colleagues + "/assign", Map.of("assignee", colleague.id().toString()));

        Response found = agent.get("/inbox/search?q=ahmed");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.text()).contains("Do you ship to Ahmedabad by Friday?").doesNotContain("store timings");
        Matcher hit = Pattern.compile("href=\"(/inbox/conversations/" + mine + "\\?message=[0-9a-f-]{36})\"\\s+data-testid=\"search-hit\"")
                .matcher(found.text());
        assertThat(hit.find()).isTrue();
        Response opened = agent.get(hit.group(1));
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.text()).contains("data-focus=\"true\"");

        assertThat(rowsOf(agent.get("/inbox/search?q=ship+friday"))).isEqualTo(1);
        assertThat(agent.get("/inbox/search?q=0501").text()).contains("data-testid=\"search-contacts\"").contains("+919800000501");
        // Query syntax typed by a person is just text, never an error.
        for (String odd : List.of("'&|!:*()", "a:* | b", "\\", "<script>", "   ")) {
            Response weird = agent.get("/inbox/search?q=" + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(weird.status()).as(odd).isEqualTo(200);
        }
        assertThat(owner.get("/inbox/search?q=timings").text()).contains("Ahmedabad store timings?");
    }

    @Test
    void a_template_sent_after_the_window_closed_shows_as_the_customer_saw_it() {
        UUID conversation = customer.writes("919800000109", "Is my order ready?");
        String token = sandbox.find(number.phoneNumberId()).orElseThrow().accessToken();
        UUID template = hexa.support.SandboxTemplate.approved(baseUrl(), token, number.wabaId(), "order_ready_view", """
                {"name": "order_ready_view", "language": "en_US", "category": "UTILITY",
                 "components": [{"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["A-17"]}},
                                {"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready.", "example": {"body_text": [["Asha", "A-17"]]}},
                                {"type": "FOOTER", "text": "Reply STOP to opt out"},
                                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track it"},
                                                                {"type": "URL", "text": "Open shop", "url": "https://shop.example/track"}]}]}
                """, owner, jdbc, workspace.id());
        hexa.support.SandboxTemplate.approved(baseUrl(), token, number.wabaId(), "catalogue_photo", """
                {"name": "catalogue_photo", "language": "en_US", "category": "MARKETING",
                 "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "Our new {{1}} collection is here."}]}
                """, owner, jdbc, workspace.id());

        // While the window is open, templates have a tab of their own beside the reply.
        String open = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(open).contains("data-testid=\"reply-body\"").contains("data-testid=\"tab-template\"")
                .contains("data-testid=\"template-preview\"").doesNotContain("data-testid=\"window-closed\"");

        clock.advance(Duration.ofHours(25));
        try {
            String closed = agent.get("/inbox/conversations/" + conversation).text();
            // The window has closed: templates are the only choice, each with a preview of what the customer will see.
            assertThat(closed).contains("data-testid=\"window-closed\"").doesNotContain("data-testid=\"reply-body\"")
                    .doesNotContain("data-testid=\"tab-template\"")
                    .doesNotContain("data-testid=\"attach-form\"").contains("data-testid=\"template-preview\"")
                    .contains("data-template-text=\"Hi {{1}}, your order {{2}} is ready.\"").contains("Reply STOP to opt out")
                    .contains("data-testid=\"template-header-parameter\"");
            // A template whose header is a photo needs a file the composer does not ask for: it is not offered there.
            assertThat(closed).doesNotContain("catalogue_photo");

            // Too few values: refused, nothing sent.
            Response refused = agent.post("/inbox/conversations/" + conversation + "/template", List.of(Map.entry("template", template.toString()),
                    Map.entry("headerParameter", "A-17"), Map.entry("parameter", "<b>Asha</b>, dear")));
            assertThat(agent.get(refused.location()).text()).contains("takes 2 body parameter(s) but 1 were given");
            // A value with a comma stays one value.
            Response sent = agent.post("/inbox/conversations/" + conversation + "/template", List.of(Map.entry("template", template.toString()),
                    Map.entry("headerParameter", "A-17"), Map.entry("parameter", "<b>Asha</b>, dear"), Map.entry("parameter", "A-17")));
            assertThat(sent.status()).isEqualTo(302);
            assertThat(agent.get(sent.location()).text()).doesNotContain("parameter(s)");
            // The sandbox (Meta) checked header and body parameters against the template and accepted it. Waited for
            // before the clock goes back: the send was queued on the clock 25 hours ahead.
            until(() -> jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and type = 'template' and status in ('SENT', 'DELIVERED', 'READ')")
                    .param("t", workspace.id()).param("c", conversation).query(Integer.class).single() == 1, "Meta to accept the template");
        } finally {
            clock.advance(Duration.ofHours(-25));
        }

        // Through the API, a template with a photo header.
        ApiClient api = api(fixtures.apiToken(workspace, Role.AGENT));
        Response photo = api.send("POST", "/api/v1/messages", """
                {"to": "919800000109", "type": "template", "template": {"name": "catalogue_photo", "language": {"code": "en_US"},
                 "components": [{"type": "header", "parameters": [{"type": "image", "image": {"link": "https://cdn.example/saree.jpg"}}]},
                                {"type": "body", "parameters": [{"type": "text", "text": "silk <script>alert(1)</script>"}]}]}}
                """);
        assertThat(photo.status()).as(photo.text()).isEqualTo(202);

        String thread = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(thread).contains("data-testid=\"template-bubble\"")
                .contains("data-testid=\"template-header\" data-part=\"header\">Order A-17<")
                .contains(">Hi &lt;b&gt;Asha&lt;/b&gt;, dear, your order A-17 is ready.<")
                .contains("data-testid=\"template-footer\">Reply STOP to opt out<")
                .contains("Track it").contains("Open shop").doesNotContain("https://shop.example/track")
                .contains("data-testid=\"template-header-media\"")
                .contains(">Our new silk &lt;script&gt;alert(1)&lt;/script&gt; collection is here.<")
                .doesNotContain("<b>Asha").doesNotContain("<script>alert(1)").doesNotContain("cdn.example");
    }

    @Test
    void mention_suggestions_are_this_workspaces_inbox_members_by_name_or_handle() {
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        fixtures.member(workspace, Role.ANALYST);
        Fixtures.TestWorkspace other = fixtures.workspace("Elsewhere " + UUID.randomUUID().toString().substring(0, 4));
        Fixtures.Person stranger = fixtures.member(other, Role.SUPERVISOR);

        Response all = agent.get("/inbox/mentions?q=");
        assertThat(all.status()).isEqualTo(200);
        tools.jackson.databind.JsonNode people = tools.jackson.databind.json.JsonMapper.builder().build().readTree(all.text());
        List<String> names = new ArrayList<>();
        people.forEach(p -> names.add(p.get("name").asString()));
        // The owner and the supervisor; not the agent asking, not the analyst, not another workspace's member.
        assertThat(names).containsExactlyInAnyOrder(workspace.owner().name(), supervisor.name());
        assertThat(all.text()).doesNotContain(stranger.name());

        String handle = supervisor.email().split("@")[0];
        assertThat(agent.get("/inbox/mentions?q=" + handle.substring(0, 8)).text()).contains(supervisor.name());
        assertThat(agent.get("/inbox/mentions?q=" + supervisor.name().split(" ")[1]).text()).contains(supervisor.name());
        assertThat(agent.get("/inbox/mentions?q=zzz").text()).isEqualTo("[]");
        // Two members of one name are told apart by their handle.
        Fixtures.Person twin = fixtures.person(supervisor.name());
        fixtures.join(workspace, twin, Role.AGENT);
        assertThat(agent.get("/inbox/mentions?q=" + handle).text()).contains("\"mention\":\"" + handle + "\"");
    }

    @Test
    void a_rows_unread_count_stops_at_99_plus() {
        UUID conversation = customer.writes("919800000110", "Message 1");
        for (int i = 2; i <= 99; i++) {
            customer.sends("919800000110", "Message " + i);
        }
        until(() -> unread(conversation) == 99, "all 99 messages to be stored");
        assertThat(rowUnread(agent.get("/inbox?view=unassigned"))).isEqualTo("99");
        customer.writes("919800000110", "Message 100");
        assertThat(rowUnread(agent.get("/inbox?view=unassigned"))).isEqualTo("99+");
        customer.writes("919800000110", "Message 101");
        assertThat(rowUnread(agent.get("/inbox?view=unassigned"))).isEqualTo("99+");
        // Reading it clears the count.
        agent.get("/inbox/conversations/" + conversation);
        assertThat(agent.get("/inbox?view=unassigned").text()).doesNotContain("data-testid=\"row-unread\"");
    }

    @Test
    void the_side_panel_shows_the_contacts_details_tags_and_notes_as_text() {
        UUID conversation = customer.writes("919800000131", "Do you deliver to Surat?", "Nisha");
        UUID contact = jdbc.sql("select contact_id from conversations where id = :id").param("id", conversation).query(UUID.class).single();
        String side = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(side).contains("data-testid=\"no-contact-notes\"").contains("href=\"/contacts/" + contact + "\"");

        String hostile = "<img src=x onerror=alert(1)> prefers calls after 6";
        agent.post("/contacts/" + contact, Map.of("name", "Nisha Shah", "phone", "+919800000131", "email", "nisha@example.in",
                "company", "Shah & Sons <b>Textiles</b>"));
        agent.post("/contacts/" + contact + "/tags", Map.of("tag", "wholesale"));
        try {
            for (int i = 1; i <= 4; i++) {
                clock.advance(Duration.ofMinutes(1));
                agent.post("/contacts/" + contact + "/notes", Map.of("body", i == 4 ? hostile : "Note " + i));
            }
        } finally {
            clock.advance(Duration.ofMinutes(-4));
        }

        side = agent.get("/inbox/conversations/" + conversation).text();
        assertThat(side).contains("nisha@example.in").contains("Shah &amp; Sons &lt;b&gt;Textiles&lt;/b&gt;")
                .contains("data-testid=\"contact-tags\"").contains(">wholesale<")
                .contains("&lt;img src=x onerror=alert(1)&gt; prefers calls after 6").doesNotContain("<img src=x")
                .contains("Note 3").contains("Note 2").doesNotContain(">Note 1<").contains("All 4 notes");
    }

    private int unread(UUID conversation) {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and conversation_id = :c and direction = 'INBOUND' and read_at is null")
                .param("t", workspace.id()).param("c", conversation).query(Integer.class).single();
    }

    private static String rowUnread(Response page) {
        Matcher matcher = Pattern.compile("data-testid=\"row-unread\">([^<]*)<").matcher(page.text());
        assertThat(matcher.find()).as("an unread badge").isTrue();
        return matcher.group(1);
    }

    @Test
    void retry_answers_404_for_a_message_of_another_conversation_and_retries_its_own() {
        UUID failing = customer.writes("919800000111", "Please call me");
        UUID other = customer.writes("919800000112", "Hello there");
        customer.isUndeliverable("919800000111", true);
        agent.post("/inbox/conversations/" + failing + "/reply", Map.of("body", "Calling you in five minutes"));
        UUID message = Eventually.await(() -> failedIn(failing), java.util.Objects::nonNull, "the reply to fail");
        customer.isUndeliverable("919800000111", false);

        // The agent may see both conversations, but the message is not the other one's: nothing happens.
        assertThat(agent.post("/inbox/conversations/" + other + "/messages/" + message + "/retry", Map.of()).status()).isEqualTo(404);
        assertThat(agent.post("/inbox/conversations/" + other + "/messages/" + UUID.randomUUID() + "/retry", Map.of()).status()).isEqualTo(404);
        assertThat(failedIn(failing)).isEqualTo(message);

        Response retried = agent.post("/inbox/conversations/" + failing + "/messages/" + message + "/retry", Map.of());
        assertThat(retried.status()).isEqualTo(302);
        assertThat(agent.get(retried.location()).text()).contains("Sending again");
        until(() -> jdbc.sql("select status from messages where tenant_id = :t and id = :id").param("t", workspace.id()).param("id", message)
                .query(String.class).single().matches("SENT|DELIVERED|READ"), "the retried reply to be sent");
    }

    @Test
    void a_reply_whose_answer_from_whatsapp_was_lost_shows_as_waiting_for_whatsapp_to_confirm_not_as_failed() {
        UUID conversation = customer.writes("919800000113", "Did you get my payment?");
        // As a sender that died while Meta answered leaves a reply: queued, its attempt begun 3 minutes ago, its lease over.
        UUID message = UUID.randomUUID();
        java.time.Instant now = clock.instant();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content, status,
                                      sent_at, created_at, next_attempt_at, send_started_at)
                select tenant_id, :id, conversation_id, contact_id, :connection, 'OUTBOUND', 'text', 'Yes, thank you!',
                       '{"type": "text", "text": {"body": "Yes, thank you!"}}'::jsonb, 'QUEUED', :now, :now, :now, :started
                  from messages where tenant_id = :t and conversation_id = :c and direction = 'INBOUND' limit 1
                """).param("id", message).param("connection", number.id()).param("now", hexa.platform.database.Sql.ts(now))
                .param("started", hexa.platform.database.Sql.ts(now.minusSeconds(180))).param("t", workspace.id()).param("c", conversation).update();
        until(() -> jdbc.sql("select uncertain_since is not null from messages where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", message).query(Boolean.class).single(), "the sender to find the reply's answer lost");

        String page = agent.get("/inbox/conversations/" + conversation).text();

        assertThat(page).contains("data-ticks=\"uncertain\"").contains("data-testid=\"uncertain\"")
                .contains("Sending — waiting for WhatsApp to confirm").doesNotContain("data-testid=\"failure\"");
    }

    private UUID failedIn(UUID conversation) {
        return jdbc.sql("select id from messages where tenant_id = :t and conversation_id = :c and status = 'FAILED'")
                .param("t", workspace.id()).param("c", conversation).query(UUID.class).optional().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------

    private static int rowsOf(Response search) {
        Matcher matcher = Pattern.compile("data-testid=\"search-hit\"").matcher(search.text());
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    private static List<UUID> rows(Response page) {
        List<UUID> ids = new ArrayList<>();
        Matcher matcher = ROW.matcher(page.text());
        while (matcher.find()) {
            ids.add(UUID.fromString(matcher.group(1)));
        }
        return ids;
    }
}
