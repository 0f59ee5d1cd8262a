package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Chromium;
import hexa.support.BrowserTest;
import hexa.support.WebClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * On a phone-sized screen the navigation folds behind a menu button beside the brand, so a page's own content starts at
 * the top; the button opens it (by keyboard too) and its links work. On a wide screen the navigation is always shown.
 */
class SmallScreenBrowserTest extends BrowserTest {

    private Fixtures.Person agent;

    @BeforeEach
    void anAgent() {
        agent = fixtures.member(fixtures.workspace("Small Screen Co"), Role.AGENT);
    }


    @Test
    void the_navigation_folds_behind_a_menu_button_on_a_phone_and_opens_by_keyboard() {
        Chromium.signIn(driver, baseUrl(), agent.email());
        driver.manage().window().setSize(new Dimension(390, 800));
        driver.get(baseUrl() + "/contacts");
        WebElement inboxLink = driver.findElement(By.cssSelector("[data-nav='nav.inbox']"));
        WebElement toggle = driver.findElement(By.cssSelector("[data-testid=nav-toggle]"));
        assertThat(toggle.isDisplayed()).isTrue();
        assertThat(inboxLink.isDisplayed()).as("folded away on a phone").isFalse();
        assertThat(driver.findElement(By.tagName("h1")).getRect().getY()).as("the page starts near the top").isLessThan(150);

        toggle.sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.visibilityOf(inboxLink));
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
        inboxLink.click();
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/inbox"));

        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(baseUrl() + "/contacts");
        assertThat(driver.findElement(By.cssSelector("[data-testid=nav-toggle]")).isDisplayed()).as("no menu button on a wide screen").isFalse();
        assertThat(driver.findElement(By.cssSelector("[data-nav='nav.inbox']")).isDisplayed()).isTrue();
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void on_a_phone_an_open_conversation_takes_the_screen_and_a_link_goes_back_to_the_list() {
        var workspace = fixtures.workspace("Small Inbox Co");
        Chromium.signIn(driver, baseUrl(), workspace.owner().email());
        driver.get(baseUrl() + "/settings/whatsapp");
        WebElement connect = driver.findElement(By.cssSelector("[data-testid=connect-sandbox]"));
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", connect);
        Chromium.waitFor(driver, ExpectedConditions.elementToBeClickable(connect)).click();
        WebElement card = Chromium.waitFor(driver, ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=connection]")));
        assertThat(card.getText()).contains("Sandbox").contains("Connected");
        assertThat(card.findElement(By.cssSelector("input[id^=callback-]")).getAttribute("value")).contains("/webhooks/whatsapp/wh_");
        Chromium.screenshot(driver, "03a-whatsapp-connected");
        UUID connection = jdbc.sql("select id from whatsapp_connections where tenant_id = :t").param("t", workspace.id()).query(UUID.class).single();
        UUID contact = UUID.fromString(ApiClient.json(api(fixtures.apiToken(workspace, Role.ADMIN)).send("POST", "/api/v1/contacts",
                "{\"name\": \"Meera Iyer\", \"phone\": \"+919812300001\"}")).get("id").asString());
        UUID conversation = UUID.randomUUID();
        jdbc.sql("""
                insert into conversations (tenant_id, id, contact_id, connection_id, status, opened_at, last_message_at)
                values (:t, :id, :c, :n, 'OPEN', now(), now())
                """).param("t", workspace.id()).param("id", conversation).param("c", contact).param("n", connection).update();

        driver.manage().window().setSize(new Dimension(390, 800));
        driver.get(baseUrl() + "/inbox/conversations/" + conversation + "?view=all");
        // The open conversation is redrawn by live updates (opening it marks it read): every read finds its element afresh.
        assertThat(Chromium.<String>read(driver, d -> d.findElement(By.cssSelector("[data-testid=conversation-contact]")).getText())).isEqualTo("Meera Iyer");
        assertThat(displayed(".inbox-list-pane")).as("the list steps aside").isFalse();
        assertThat(displayed("[data-testid=back-to-list]")).isTrue();
        assertThat(displayed("[data-testid=side-panel]")).isFalse();

        // The contact, consent and conversation tags take the thread's place when asked for, and give it back.
        clickAndSee("[data-testid=show-details]", "[data-testid=side-panel]");
        assertThat(displayed("[data-testid=composer]")).isFalse();
        assertThat(displayed("[data-testid=show-details]")).isFalse();
        clickAndSee("[data-testid=show-messages]", "[data-testid=composer]");
        assertThat(displayed("[data-testid=side-panel]")).isFalse();

        clickAndSee("[data-testid=back-to-list]", ".inbox-list-pane");
        assertThat(driver.getCurrentUrl()).contains("/inbox?").contains("view=all");
        assertThat(Chromium.<String>read(driver, d -> d.findElement(By.cssSelector(".inbox-list-pane")).getText())).contains("Meera Iyer");

        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(baseUrl() + "/inbox/conversations/" + conversation + "?view=all");
        assertThat(displayed(".inbox-list-pane")).as("side by side on a wide screen").isTrue();
        assertThat(displayed("[data-testid=back-to-list]")).isFalse();
        assertThat(displayed("[data-testid=show-details]")).isFalse();
        assertThat(displayed("[data-testid=side-panel]")).isTrue();
    }

    private boolean displayed(String css) {
        return Chromium.<Boolean>read(driver, d -> d.findElement(By.cssSelector(css)).isDisplayed());
    }

    /** Clicks what {@code click} finds (found again if a live update redrew it), then waits until {@code then} shows. */
    private void clickAndSee(String click, String then) {
        Chromium.read(driver, d -> {
            d.findElement(By.cssSelector(click)).click();
            return true;
        });
        Chromium.waitFor(driver, ExpectedConditions.visibilityOfElementLocated(By.cssSelector(then)));
    }
}
