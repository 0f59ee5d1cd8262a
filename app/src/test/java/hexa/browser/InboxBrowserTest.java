package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.Chromium;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.ConnectionService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The inbox as an agent meets it, in real Chromium, with a customer typing in the sandbox's phone
 * simulator in another browser: the conversation appears without a reload, the reply reaches the
 * phone, and its ticks turn to read on their own.
 */
class InboxBrowserTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    hexa.platform.crypto.SecretBox secrets;

    private WebDriver agent;
    private WebDriver phone;
    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private SandboxCustomer customer;
    private Fixtures.Person agentPerson;

    @BeforeEach
    void aWorkspaceWithASandboxNumberAndAnAgent() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Chai Corner " + UUID.randomUUID().toString().substring(0, 4));
        workspace = shop.workspace();
        number = shop.number();
        customer = shop.customer();
        agentPerson = fixtures.member(workspace, Role.AGENT);
        agent = Chromium.start();
    }

    @AfterEach
    void closeBrowsers() {
        if (agent != null) {
            Chromium.release(agent);
        }
        if (phone != null) {
            Chromium.release(phone);
        }
    }

    @Test
    void a_customer_writes_the_agent_sees_it_live_replies_and_the_ticks_turn_to_read() {
        phone = Chromium.start();
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        waitFor(agent, d -> "open".equals(d.findElement(By.cssSelector("[data-testid=inbox]")).getAttribute("data-live-state")));
        assertThat(Chromium.now(agent, By.cssSelector("[data-testid=conversation-row]"))).isEmpty();
        Chromium.screenshot(agent, "inbox-01-empty");
        // Marks this page load: if the page reloads, the mark is gone.
        ((JavascriptExecutor) agent).executeScript("window.stillTheSamePage = true;");

        // The phone simulator is for the workspace's members: one of them plays the customer.
        signIn(phone, agentPerson);
        phone.get(baseUrl() + "/sandbox");
        waitFor(phone, d -> !d.findElements(By.cssSelector("#number option[value='" + number.phoneNumberId() + "']")).isEmpty());
        new Select(phone.findElement(By.id("number"))).selectByValue(number.phoneNumberId());
        phone.findElement(By.id("new-wa-id")).sendKeys("919811122233");
        phone.findElement(By.id("new-name")).sendKeys("Priya Shah");
        phone.findElement(By.id("create-customer")).click();
        waitFor(phone, d -> d.findElement(By.id("chat-with")).getText().contains("919811122233"));
        phone.findElement(By.id("text")).sendKeys("Do you have masala chai in 500 g packs?", Keys.ENTER);

        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=conversation-row]")).size() == 1);
        WebElement row = agent.findElement(By.cssSelector("[data-testid=conversation-row]"));
        assertThat(row.getText()).contains("Priya Shah").contains("masala chai");
        assertThat(((JavascriptExecutor) agent).executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
        Chromium.screenshot(agent, "inbox-02-arrived-live");

        openFirstConversation();
        waitFor(agent, ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=thread] [data-testid=message]")));
        WebElement reply = agent.findElement(By.cssSelector("[data-testid=reply-body]"));
        reply.sendKeys("Yes! 500 g packs are in stock.", Keys.ENTER);
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message].out")).size() == 1);
        ((JavascriptExecutor) agent).executeScript("window.stillTheSamePage = true;");

        waitFor(phone, d -> d.findElement(By.id("messages")).getText().contains("500 g packs are in stock"));
        Chromium.screenshot(phone, "inbox-03-phone-got-reply");

        // The sandbox's customer reads it; the agent's ticks turn blue without a reload.
        try {
            waitFor(agent, d -> "read".equals(d.findElement(By.cssSelector("[data-testid=message].out [data-ticks]")).getAttribute("data-ticks")));
        } catch (RuntimeException e) {
            Chromium.screenshot(agent, "inbox-04-not-read");
            System.err.println("DEBUG ticks page: " + agent.findElement(By.cssSelector("[data-testid=inbox]")).getAttribute("outerHTML").substring(0, 600)
                    + " live=" + agent.findElement(By.cssSelector("[data-testid=inbox]")).getAttribute("data-live-state")
                    + " refreshed=" + agent.findElement(By.tagName("body")).getAttribute("data-live-refreshed")
                    + " ticks=" + agent.findElement(By.cssSelector("[data-testid=message].out [data-ticks]")).getAttribute("data-ticks"));
            agent.navigate().refresh();
            System.err.println("DEBUG after reload ticks=" + agent.findElement(By.cssSelector("[data-testid=message].out [data-ticks]")).getAttribute("data-ticks"));
            throw e;
        }
        assertThat(((JavascriptExecutor) agent).executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
        Chromium.screenshot(agent, "inbox-04-read");
    }

    @Test
    void hostile_customer_text_stays_text_and_the_layout_holds() {
        String longWord = "A".repeat(600);
        List<String> texts = List.of("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<a href=\"javascript:alert(3)\">click</a>",
                longWord, "مرحبا، هل لديكم شاي؟ 🙏🏽🍵", "emoji 👩‍👩‍👧‍👦🇮🇳 and text");
        customer.hasProfileName("919811122244", "<img src=y onerror=alert(4)>");
        for (String text : texts) {
            customer.sends("919811122244", text);
        }
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        waitFor(agent, d -> {
            d.navigate().refresh();
            // Six messages within one second: WhatsApp's timestamps cannot order them, so wait for the count.
            return d.findElements(By.cssSelector("[data-testid=conversation-row]")).size() == 1
                    && d.findElement(By.cssSelector("[data-testid=row-unread]")).getText().equals(String.valueOf(texts.size()));
        });
        openFirstConversation();
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=thread] [data-testid=message]")).size() == texts.size());

        String thread = agent.findElement(By.cssSelector("[data-testid=thread]")).getText();
        assertThat(thread).contains("<img src=x onerror=alert(1)>").contains("<script>alert(2)</script>").contains("مرحبا");
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=conversation-contact]")).getText())).isEqualTo("<img src=y onerror=alert(4)>");
        assertThat(Chromium.now(agent, By.cssSelector("[data-testid=thread] img"))).isEmpty();
        assertThat(Chromium.now(agent, By.cssSelector("[data-testid=thread] script"))).isEmpty();
        assertThat(Chromium.now(agent, By.cssSelector("[data-testid=thread] a[href^='javascript']"))).isEmpty();
        boolean alerted;
        try {
            agent.switchTo().alert();
            alerted = true;
        } catch (NoAlertPresentException e) {
            alerted = false;
        }
        assertThat(alerted).as("no script of the customer's ran").isFalse();
        // The 600-letter word wraps inside its bubble: nothing is wider than the page.
        Object overflow = ((JavascriptExecutor) agent).executeScript(
                "var t = document.querySelector('[data-testid=thread]');"
                        + "return {page: document.documentElement.scrollWidth > document.documentElement.clientWidth, thread: t.scrollWidth > t.clientWidth};");
        assertThat(overflow.toString()).isEqualTo("{page=false, thread=false}");
        Chromium.screenshot(agent, "inbox-05-hostile-text");
    }

    @Test
    void assign_note_with_a_mention_resolve_reopen_and_a_template_once_the_window_has_closed() {
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        waitFor(agent, d -> "open".equals(d.findElement(By.cssSelector("[data-testid=inbox]")).getAttribute("data-live-state")));
        customer.sends("919811122255", "My parcel is late");
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=conversation-row]")).size() == 1);
        openFirstConversation();

        // Assignment: the select applies at once.
        new Select(waitFor(agent, ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=assignee]"))))
                .selectByValue(agentPerson.id().toString());
        waitFor(agent, d -> d.getPageSource().contains("Assignment saved."));
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-view=mine]")).getAttribute("class"))).doesNotContain("active");

        // A private note that mentions the supervisor, written with the keyboard: n, then Enter.
        agent.findElement(By.tagName("body")).sendKeys("n");
        WebElement note = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=note-body]")));
        note.sendKeys("@" + supervisor.email().split("@")[0] + " customer is upset, please call", Keys.ENTER);
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=note]")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=note]")).getText())).contains("please call");
        Chromium.screenshot(agent, "inbox-06-note");

        // Resolve with e; the customer writes again and the same conversation comes back, live.
        agent.findElement(By.tagName("body")).sendKeys("e");
        waitFor(agent, d -> d.findElement(By.cssSelector("[data-testid=conversation-status]")).getText().equals("Resolved"));
        ((JavascriptExecutor) agent).executeScript("window.stillTheSamePage = true;");
        customer.sends("919811122255", "Any news?");
        waitFor(agent, d -> d.findElement(By.cssSelector("[data-testid=conversation-status]")).getText().equals("Open")
                && d.findElements(By.cssSelector("[data-testid=message].in")).size() == 2);
        assertThat(read(agent, d -> d.findElements(By.cssSelector("[data-testid=message].in")).get(1).getAttribute("textContent")))
                .contains("Any news?");
        assertThat(((JavascriptExecutor) agent).executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);

        // A day later the window has closed: only a template can be sent.
        clock.advance(java.time.Duration.ofHours(25));
        try {
            agent.navigate().refresh();
            waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=window-closed]")));
            assertThat(Chromium.now(agent, By.cssSelector("[data-testid=reply-body]"))).isEmpty();
            WebElement template = agent.findElement(By.cssSelector("[data-testid=template-choice] summary"));
            assertThat(template.getText()).contains("hello_world");
            template.click();
            agent.findElement(By.cssSelector("[data-testid=send-template]")).click();
            waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message][data-type=template]")).size() == 1);
            Chromium.screenshot(agent, "inbox-07-template-after-window");
        } finally {
            clock.advance(java.time.Duration.ofHours(-25));
        }
    }

    @Test
    void the_template_form_previews_what_the_customer_will_see_as_the_agent_types() {
        hexa.support.WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        hexa.support.SandboxTemplate.approved(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken(), number.wabaId(),
                "delivery_slot", """
                {"name": "delivery_slot", "language": "en_US", "category": "UTILITY",
                 "components": [{"type": "HEADER", "format": "TEXT", "text": "Delivery for {{1}}"},
                                {"type": "BODY", "text": "Hi {{1}}, we can deliver on {{2}}. Does that suit you?"},
                                {"type": "FOOTER", "text": "Chai Corner"},
                                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes please"}, {"type": "QUICK_REPLY", "text": "Another day"}]}]}
                """, owner, jdbc, workspace.id());
        customer.writes("919811122266", "Can you deliver?");
        clock.advance(Duration.ofHours(25));
        try {
            signIn(agent, agentPerson);
            agent.get(baseUrl() + "/inbox?view=unassigned");
            openFirstConversation();
            waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=window-closed]")));
            WebElement choice = agent.findElements(By.cssSelector("[data-testid=template-choice]")).stream()
                    .filter(e -> e.getText().contains("delivery_slot")).findFirst().orElseThrow();
            choice.findElement(By.tagName("summary")).click();
            WebElement preview = choice.findElement(By.cssSelector("[data-testid=template-preview]"));
            assertThat(preview.findElement(By.cssSelector("[data-testid=template-body]")).getText())
                    .isEqualTo("Hi {{1}}, we can deliver on {{2}}. Does that suit you?");

            choice.findElement(By.cssSelector("[data-testid=template-header-parameter]")).sendKeys("order 42");
            List<WebElement> values = choice.findElements(By.cssSelector("[data-testid=template-parameter]"));
            values.get(0).sendKeys("<b>Asha</b>");
            assertThat(preview.findElement(By.cssSelector("[data-testid=template-header]")).getText()).isEqualTo("Delivery for order 42");
            assertThat(preview.findElement(By.cssSelector("[data-testid=template-body]")).getText())
                    .isEqualTo("Hi <b>Asha</b>, we can deliver on {{2}}. Does that suit you?");
            values.get(1).sendKeys("Friday 10-12");
            assertThat(preview.findElement(By.cssSelector("[data-testid=template-body]")).getText())
                    .isEqualTo("Hi <b>Asha</b>, we can deliver on Friday 10-12. Does that suit you?");
            assertThat(Chromium.now(preview, agent, By.tagName("b"))).as("typed text stays text").isEmpty();
            assertThat(preview.getText()).contains("Chai Corner").contains("Yes please").contains("Another day");
            Chromium.screenshot(agent, "inbox-08-template-preview");

            choice.findElement(By.cssSelector("[data-testid=send-template]")).click();
            By bubble = By.cssSelector("[data-testid=message][data-type=template] [data-testid=template-bubble]");
            waitFor(agent, ExpectedConditions.presenceOfElementLocated(bubble));
            // Its ticks move on (sent, delivered, read) and redraw the thread: read it through the stale-safe helper.
            assertThat(read(agent, d -> d.findElement(bubble).getText())).contains("Delivery for order 42").contains("Hi <b>Asha</b>, we can deliver on Friday 10-12.")
                    .contains("Yes please");
            Chromium.screenshot(agent, "inbox-09-template-as-sent");
        } finally {
            clock.advance(Duration.ofHours(-25));
        }
    }

    @Test
    void the_emoji_picker_inserts_at_the_caret_and_works_by_keyboard() {
        customer.writes("919811122277", "Is the shop open on Sunday?");
        hexa.support.ApiClient admin = api(fixtures.apiToken(workspace, Role.ADMIN));
        String flow = hexa.support.ApiClient.json(admin.send("POST", "/api/v1/automation/flows", """
                {"name":"Tea menu","keywords":[],"draft":{"start":"menu","steps":[
                  {"id":"menu","type":"send","message":{"kind":"text","text":"Today: masala, ginger and cardamom chai"},"next":"end"},
                  {"id":"end","type":"end"}]}}
                """)).get("id").asString();
        admin.send("POST", "/api/v1/automation/flows/" + flow + "/publish", "");
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        openFirstConversation();
        WebElement reply = waitFor(agent, ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=reply-body]")));
        reply.sendKeys("Yes we are open");
        // The caret goes after "Yes", as if the agent clicked there.
        js("var f = document.querySelector('[data-testid=reply-body]'); f.focus(); f.setSelectionRange(3, 3);");

        agent.findElement(By.cssSelector("[data-testid=emoji-toggle]")).click();
        WebElement picker = agent.findElement(By.cssSelector("#emoji-reply[data-testid=emoji-picker]"));
        assertThat(picker.isDisplayed()).isTrue();
        List<String> emoji = picker.findElements(By.cssSelector("[data-emoji]")).stream().map(e -> e.getAttribute("data-emoji")).toList();
        assertThat(focusedEmoji()).isEqualTo(emoji.get(0));
        Chromium.screenshot(agent, "inbox-10-emoji-picker");

        // Right arrow, then Tab: the third emoji; Left goes back one, Tab forward again; Enter picks it.
        agent.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
        agent.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(focusedEmoji()).isEqualTo(emoji.get(2));
        agent.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
        assertThat(focusedEmoji()).isEqualTo(emoji.get(1));
        agent.switchTo().activeElement().sendKeys(Keys.TAB);
        // Down lands on the emoji below (the grid has 8 columns), Up comes back.
        agent.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        assertThat(focusedEmoji()).isEqualTo(emoji.get(10));
        agent.switchTo().activeElement().sendKeys(Keys.ARROW_UP);
        assertThat(focusedEmoji()).isEqualTo(emoji.get(2));
        agent.switchTo().activeElement().sendKeys(Keys.ENTER);

        assertThat(picker.isDisplayed()).isFalse();
        assertThat(reply.getAttribute("value")).isEqualTo("Yes" + emoji.get(2) + " we are open");
        assertThat(agent.switchTo().activeElement().getAttribute("data-testid")).isEqualTo("reply-body");
        assertThat(js("return document.querySelector('[data-testid=reply-body]').selectionStart;").toString())
                .isEqualTo(String.valueOf(3 + emoji.get(2).length()));

        // Escape closes without inserting and gives the field back.
        agent.findElement(By.cssSelector("[data-testid=emoji-toggle]")).sendKeys(Keys.ENTER);
        assertThat(picker.isDisplayed()).isTrue();
        agent.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertThat(picker.isDisplayed()).isFalse();
        assertThat(agent.switchTo().activeElement().getAttribute("data-testid")).isEqualTo("reply-body");
        assertThat(reply.getAttribute("value")).isEqualTo("Yes" + emoji.get(2) + " we are open");

        reply.sendKeys(Keys.ENTER);
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message].out")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=message].out")).getText())).contains("Yes" + emoji.get(2) + " we are open");

        // "Start a flow" by keyboard: Enter opens the menu, Tab reaches the published flow, Enter starts it (a plain form
        // post). Live news may redraw the header meanwhile: then the keys are pressed again on the new one.
        waitFor(agent, d -> {
            if (!d.findElements(By.cssSelector("[data-testid=note]")).isEmpty()) {
                return true;
            }
            try {
                WebElement menu = d.findElement(By.cssSelector("[data-testid=flow-menu]"));
                if (menu.getAttribute("open") == null) {
                    menu.findElement(By.cssSelector("[data-testid=start-flow]")).sendKeys(Keys.ENTER);
                }
                d.switchTo().activeElement().sendKeys(Keys.TAB);
                WebElement focused = d.switchTo().activeElement();
                if ("flow-choice".equals(focused.getAttribute("data-testid"))) {
                    focused.sendKeys(Keys.ENTER);
                }
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                // redrawn: try again
            }
            return false;
        });
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=note]")).getText())).contains("Flow “Tea menu” started by " + agentPerson.name());
        waitFor(agent, d -> customer.chat("919811122277").toString().contains("Today: masala, ginger and cardamom chai"));
    }

    @Test
    void typing_at_in_a_note_offers_members_and_the_chosen_one_is_notified() {
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        Fixtures.Person analyst = fixtures.member(workspace, Role.ANALYST);
        customer.writes("919811122288", "I was charged twice");
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        openFirstConversation();
        agent.findElement(By.tagName("body")).sendKeys("n");
        WebElement note = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=note-body]")));

        note.sendKeys("Refund needed @");
        WebElement list = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=mentions]")));
        // Everyone who may read the note, but not the writer nor an analyst (who has no inbox).
        waitFor(agent, d -> list.getText().contains(supervisor.name()));
        assertThat(list.getText()).doesNotContain(agentPerson.name()).doesNotContain(analyst.name());

        note.sendKeys("supe");
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=mentions] [role=option]")).size() == 1
                && d.findElement(By.cssSelector("[data-testid=mentions]")).getText().contains(supervisor.name()));
        Chromium.screenshot(agent, "inbox-11-mention-list");
        note.sendKeys(Keys.ARROW_DOWN);
        note.sendKeys(Keys.ENTER);
        assertThat(list.isDisplayed()).isFalse();
        assertThat(note.getAttribute("value")).isEqualTo("Refund needed @" + supervisor.name() + " ");

        note.sendKeys("please approve", Keys.ENTER);
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=note]")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=note]")).getText())).contains("@" + supervisor.name() + " please approve");
        assertThat(jdbc.sql("select count(*) from inbox_notifications where tenant_id = :t and user_id = :u and kind = 'MENTION'")
                .param("t", workspace.id()).param("u", supervisor.id()).query(Integer.class).single()).isEqualTo(1);
        hexa.support.WebClient mentioned = browser();
        mentioned.signIn(supervisor.email(), Fixtures.PASSWORD);
        assertThat(mentioned.get("/inbox/notifications").text()).contains(agentPerson.name() + " mentioned you in a note");
    }

    @Test
    void a_file_dropped_on_the_composer_is_sent() {
        customer.writes("919811122301", "Please send the price list");
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        openFirstConversation();
        waitFor(agent, ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=reply-body]")));
        assertThat(agent.findElement(By.cssSelector("[data-testid=attach-form]")).isDisplayed()).isFalse();

        // What a drag from the desktop delivers: dragover, then a drop carrying the file.
        js("var file = new File(['Masala chai 500 g: 240 rupees'], 'price-list.txt', {type: 'text/plain'});"
                + "var data = new DataTransfer(); data.items.add(file);"
                + "var target = document.querySelector('[data-testid=reply-body]');"
                + "target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));"
                + "window.draggingShown = document.querySelector('.inbox-composer').classList.contains('dragging');"
                + "target.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));");
        assertThat(js("return window.draggingShown;")).isEqualTo(true);
        assertThat(js("return document.querySelector('.inbox-composer').classList.contains('dragging');")).isEqualTo(false);
        WebElement form = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=attach-form]")));
        assertThat(js("var f = document.querySelector('[data-testid=files]').files; return f.length + ' ' + f[0].name;")).isEqualTo("1 price-list.txt");
        Chromium.screenshot(agent, "inbox-12-file-dropped");

        form.findElement(By.cssSelector("[data-testid=send-files]")).click();
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message].out[data-type=document]")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=message].out[data-type=document]")).getText()))
                .contains("price-list.txt");
        waitFor(agent, d -> !"queued".equals(d.findElement(By.cssSelector("[data-testid=message].out [data-ticks]")).getAttribute("data-ticks")));
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=message].out [data-ticks]")).getAttribute("data-ticks")))
                .isNotEqualTo("failed");
    }

    @Test
    void slash_offers_canned_responses_by_keyboard_and_j_k_and_question_mark_work() {
        hexa.support.WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/inbox/canned", java.util.Map.of("shortcut", "hours", "body", "We are open 9 to 6, {{contact.first_name}}."));
        owner.post("/settings/inbox/canned", java.util.Map.of("shortcut", "thanks", "body", "Thank you for writing to Chai Corner!"));
        owner.post("/settings/inbox/canned", java.util.Map.of("shortcut", "thanks-order", "body", "Thank you for your order!"));
        customer.writes("919811122302", "First customer", "Meera Iyer");
        customer.writes("919811122303", "Second customer", "Kabir Rao");
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        // Read in one go by the page itself: live news may redraw the list between two WebDriver calls.
        @SuppressWarnings("unchecked")
        List<String> rows = waitFor(agent, d -> {
            List<String> ids = (List<String>) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "return Array.from(document.querySelectorAll('[data-testid=conversation-row]')).map(r => r.dataset.conversation);");
            return ids.size() == 2 ? ids : null;
        });

        // j opens the first conversation, j the next, k goes back.
        agent.findElement(By.tagName("body")).sendKeys("j");
        waitFor(agent, ExpectedConditions.urlContains("/inbox/conversations/" + rows.get(0)));
        agent.findElement(By.tagName("body")).sendKeys("j");
        waitFor(agent, ExpectedConditions.urlContains("/inbox/conversations/" + rows.get(1)));
        agent.findElement(By.tagName("body")).sendKeys("k");
        waitFor(agent, ExpectedConditions.urlContains("/inbox/conversations/" + rows.get(0)));
        waitFor(agent, d -> d.findElement(By.tagName("body")).getAttribute("data-live-refreshed") != null);

        // ? lists the shortcuts.
        agent.findElement(By.tagName("body")).sendKeys("?");
        WebElement help = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=shortcuts]")));
        // The dialog ignores Escape while it is still sliding in; it takes the focus once it is open.
        waitFor(agent, d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "var m = document.querySelector('[data-testid=shortcuts]'); return m.classList.contains('show') && m.contains(document.activeElement);"));
        assertThat(help.getText()).contains("j").contains("k").contains("r").contains("n").contains("e");
        Chromium.screenshot(agent, "inbox-13-shortcuts");
        help.sendKeys(Keys.ESCAPE);
        waitFor(agent, ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid=shortcuts]")));

        // r, then /tha offers the two "thanks" responses; Down picks the second, Enter writes it; Enter sends.
        agent.findElement(By.tagName("body")).sendKeys("r");
        WebElement reply = agent.switchTo().activeElement();
        assertThat(reply.getAttribute("data-testid")).isEqualTo("reply-body");
        reply.sendKeys("/tha");
        WebElement canned = waitFor(agent, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-canned]")));
        assertThat(canned.findElements(By.cssSelector("[data-shortcut]")).stream().filter(WebElement::isDisplayed)
                .map(e -> e.getAttribute("data-shortcut")).toList()).containsExactly("thanks", "thanks-order");
        reply.sendKeys(Keys.ARROW_DOWN);
        reply.sendKeys(Keys.ENTER);
        assertThat(reply.getAttribute("value")).isEqualTo("Thank you for your order!");
        assertThat(canned.isDisplayed()).isFalse();
        // Variables are filled for this customer.
        reply.clear();
        reply.sendKeys("/hours");
        reply.sendKeys(Keys.TAB);
        assertThat(reply.getAttribute("value")).isEqualTo("We are open 9 to 6, " + agent.findElement(By.cssSelector("[data-testid=conversation-contact]")).getText().split(" ")[0] + ".");
        reply.sendKeys(Keys.ENTER);
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message].out")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=message].out")).getText())).contains("We are open 9 to 6");
    }

    @Test
    void reacting_to_a_customers_message_from_the_page_reaches_the_phone() {
        customer.writes("919811122304", "The chai arrived, thank you!");
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        openFirstConversation();
        // Hover the message and click its heart, finding both again if a live update redrew the thread meanwhile.
        waitFor(agent, d -> {
            try {
                WebElement message = d.findElement(By.cssSelector("[data-testid=message].in"));
                new org.openqa.selenium.interactions.Actions(d).moveToElement(message).perform();
                WebElement heart = message.findElement(By.cssSelector(".inbox-react button[value='❤️']"));
                if (!heart.isDisplayed()) {
                    return false;
                }
                heart.click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=message].in [data-testid=reactions]")).size() == 1);
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=message].in [data-testid=reactions]")).getText())).contains("❤️");
        // A reaction is no line of its own in the thread.
        assertThat(Chromium.now(agent, By.cssSelector("[data-testid=message].out"))).isEmpty();
        waitFor(agent, d -> customer.chat("919811122304").toString().contains("\"businessReaction\":\"❤️\""));
    }

    @Test
    void rows_show_a_window_about_to_close_and_the_team_filter_narrows_the_list() {
        hexa.support.WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        owner.post("/settings/inbox/teams", java.util.Map.of("name", "Wholesale"));
        String team = jdbc.sql("select id from teams where tenant_id = :t and name = 'Wholesale'").param("t", workspace.id())
                .query(String.class).single();
        java.util.UUID bulk = customer.writes("919811122305", "Bulk order of 200 packs", "Hotel Sagar");
        customer.writes("919811122306", "One pack please", "Ravi Menon");
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);

        signIn(agent, supervisor);
        agent.get(baseUrl() + "/inbox/conversations/" + bulk + "?view=all");
        liveRefreshed();
        new Select(waitFor(agent, ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=team]")))).selectByValue(team);
        waitFor(agent, d -> d.getPageSource().contains("Team saved."));

        agent.get(baseUrl() + "/inbox?view=all");
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=conversation-row]")).size() == 2);
        agent.findElement(By.cssSelector(".inbox-filters details summary")).click();
        new Select(waitFor(agent, ExpectedConditions.elementToBeClickable(By.id("filter-team")))).selectByValue(team);
        waitFor(agent, ExpectedConditions.urlContains("team=" + team));
        liveRefreshed();
        // The list is redrawn by live updates: each read finds the rows again.
        assertThat(Chromium.<List<String>>read(agent, d -> d.findElements(By.cssSelector("[data-testid=conversation-row]")).stream()
                .map(row -> row.getAttribute("data-conversation")).toList())).containsExactly(bulk.toString());
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=conversation-row]")).getText())).contains("Hotel Sagar");
        Chromium.screenshot(agent, "inbox-14-team-filter");

        // 21 hours after the customer wrote, the row warns that the window closes in 3 hours; after 24 it is closed.
        Duration advanced = Duration.ofHours(21);
        clock.advance(advanced);
        try {
            agent.navigate().refresh();
            liveRefreshed();
            By window = By.cssSelector("[data-testid=conversation-row] [data-window]");
            assertThat(read(agent, d -> d.findElement(window).getAttribute("data-window"))).isEqualTo("closing");
            assertThat(read(agent, d -> d.findElement(window).getText())).isEqualTo("Closes in 3 h");
            Chromium.screenshot(agent, "inbox-15-window-closing");
            clock.advance(Duration.ofHours(3));
            advanced = advanced.plusHours(3);
            agent.navigate().refresh();
            liveRefreshed();
            assertThat(read(agent, d -> d.findElement(window).getAttribute("data-window"))).isEqualTo("closed");
        } finally {
            clock.advance(advanced.negated());
        }
    }

    @Test
    void an_edit_a_deletion_and_a_message_from_the_business_app_appear_in_the_open_conversation_without_a_reload() {
        String waId = "919811122255";
        String first = customer.sends(waId, "Two cups of masala chai");
        customer.stored(first);
        String second = customer.sends(waId, "Deliver to flat 4B");
        customer.stored(second);
        signIn(agent, agentPerson);
        agent.get(baseUrl() + "/inbox?view=unassigned");
        openFirstConversation();
        waitFor(agent, d -> d.findElements(By.cssSelector("[data-testid=thread] [data-testid=message]")).size() == 2);
        js("window.stillTheSamePage = true;");
        long later = Math.max(clock.instant().getEpochSecond(), System.currentTimeMillis() / 1000) + 3600;

        postSigned("messages", "\"contacts\":[{\"profile\":{\"name\":\"Asha\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[{\"from\":\"" + waId
                + "\",\"id\":\"wamid.browser-edit\",\"timestamp\":\"" + later + "\",\"type\":\"edit\",\"edit\":{\"original_message_id\":\"" + first
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"Three cups of masala chai\"}}}}]");
        WebElement edited = waitFor(agent, d -> {
            List<WebElement> marks = d.findElements(By.cssSelector("[data-wamid='" + first + "'] [data-testid=edited]"));
            return marks.isEmpty() ? null : marks.get(0);
        });
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-wamid='" + first + "']")).getText())).contains("Three cups of masala chai")
                .doesNotContain("Two cups");
        edited.findElement(By.tagName("summary")).click();
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-wamid='" + first + "'] [data-testid=versions]")).getText()))
                .contains("Two cups of masala chai");
        Chromium.screenshot(agent, "inbox-edited");

        postSigned("messages", "\"contacts\":[{\"profile\":{\"name\":\"Asha\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[{\"from\":\"" + waId
                + "\",\"id\":\"wamid.browser-revoke\",\"timestamp\":\"" + (later + 10) + "\",\"type\":\"revoke\",\"revoke\":{\"original_message_id\":\""
                + second + "\"}}]");
        waitFor(agent, d -> !d.findElements(By.cssSelector("[data-wamid='" + second + "'] [data-testid=deleted]")).isEmpty());
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-testid=thread]")).getText())).contains("This message was deleted")
                .doesNotContain("flat 4B");

        postSigned("smb_message_echoes", "\"message_echoes\":[{\"from\":\"" + number.displayPhoneNumber() + "\",\"to\":\"" + waId
                + "\",\"id\":\"wamid.browser-echo\",\"timestamp\":\"" + (later + 20) + "\",\"type\":\"text\",\"text\":{\"body\":\"On its way!\"}}]");
        waitFor(agent, d -> !d.findElements(By.cssSelector("[data-wamid='wamid.browser-echo'] [data-testid=from-phone]")).isEmpty());
        assertThat(read(agent, d -> d.findElement(By.cssSelector("[data-wamid='wamid.browser-echo']")).getText())).contains("On its way!")
                .contains("from the phone");
        assertThat(agent.findElement(By.cssSelector("[data-wamid='wamid.browser-echo']")).getAttribute("class")).contains("out");
        assertThat(js("return window.stillTheSamePage === true;")).as("all of it live, without a reload").isEqualTo(true);
        Chromium.screenshot(agent, "inbox-deleted-and-from-the-phone");
    }

    /** A change of the number's webhooks, signed with its app secret as Meta signs it. */
    private void postSigned(String field, String value) {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"" + field + "\",\"value\":{"
                + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"" + number.displayPhoneNumber()
                + "\",\"phone_number_id\":\"" + number.phoneNumberId() + "\"}," + value + "}}]}]}";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String appSecret = secrets.openString(jdbc.sql("select app_secret_sealed from whatsapp_connections where id = :id")
                .param("id", number.id()).query(String.class).single());
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(number.callbackUrl()))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", hexa.whatsapp.WebhookSignature.of(bytes, appSecret))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String focusedEmoji() {
        return agent.switchTo().activeElement().getAttribute("data-emoji");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) agent).executeScript(script);
    }

    /**
     * Clicks the first conversation of the list. The list may be redrawn by live news at that very
     * moment (a click on the row being replaced is lost), so the click is repeated until it opens.
     */
    private void openFirstConversation() {
        waitFor(agent, d -> {
            if (!d.getCurrentUrl().contains("/inbox/conversations/")) {
                try {
                    d.findElement(By.cssSelector("[data-testid=conversation-row]")).click();
                } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.ElementClickInterceptedException e) {
                    return false;
                }
            }
            return d.getCurrentUrl().contains("/inbox/conversations/");
        });
        liveRefreshed();
    }

    /** The page reads the current state once its live stream opens and redraws; let that settle before working in it. */
    private void liveRefreshed() {
        waitFor(agent, d -> d.findElement(By.tagName("body")).getAttribute("data-live-refreshed") != null);
    }

    private void signIn(WebDriver driver, Fixtures.Person person) {
        Chromium.signIn(driver, baseUrl(), person.email());
        waitFor(driver, ExpectedConditions.urlContains("/inbox"));
    }

    /** A text or attribute of the live page, read again if the element was redrawn while it was being read. */
    private static String read(WebDriver driver, java.util.function.Function<WebDriver, String> value) {
        return waitFor(driver, value);
    }

    private static <T> T waitFor(WebDriver driver, java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
