package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 16's "done when", for rules: in Chromium an Admin builds a rule in the editor (a message received whose text
 * contains "price" is answered with a text), a customer asks for the price from the sandbox's phone simulator, the
 * answer reaches the phone, the conversation shows it as sent by the rule, and the rule's log shows it fired.
 */
class RuleEditorBrowserTest extends BrowserTest {

    private static final String ANSWER = "Masala chai is 240 rupees for 500 g.";

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_admin_builds_a_rule_and_it_answers_a_customer_on_the_phone() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Price Tea " + UUID.randomUUID().toString().substring(0, 4));
        Fixtures.Person admin = fixtures.member(shop.workspace(), Role.ADMIN);
        Chromium.signIn(driver, baseUrl(), admin.email());

        driver.get(baseUrl() + "/automation");
        driver.findElement(By.cssSelector("[data-testid=new-rule]")).click();
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/automation/rules/new"));
        driver.findElement(By.id("rule-name")).sendKeys("Price answer");
        assertThat(new Select(driver.findElement(By.id("rule-trigger"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("MESSAGE_RECEIVED");
        // The delay applies to time-based triggers only: hidden for this one.
        assertThat(driver.findElement(By.id("rule-delay")).isDisplayed()).isFalse();

        // The editor's buttons, by keyboard: each is a round trip that keeps what was typed.
        driver.findElement(By.cssSelector("[data-testid=add-condition]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("condition-0-value")));
        assertThat(driver.findElement(By.id("rule-name")).getAttribute("value")).as("kept across the round trip").isEqualTo("Price answer");
        new Select(driver.findElement(By.id("condition-0-field"))).selectByValue("TEXT");
        new Select(driver.findElement(By.id("condition-0-operator"))).selectByValue("CONTAINS");
        driver.findElement(By.id("condition-0-value")).sendKeys("price");

        new Select(driver.findElement(By.id("new-action"))).selectByValue("REPLY_TEXT");
        driver.findElement(By.cssSelector("[data-testid=add-action]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("action-0-text")));
        assertThat(driver.findElement(By.id("condition-0-value")).getAttribute("value")).isEqualTo("price");
        driver.findElement(By.id("action-0-text")).sendKeys(ANSWER);
        Chromium.screenshot(driver, "rules-01-editor");
        driver.findElement(By.cssSelector("[data-testid=save-rule]")).sendKeys(Keys.ENTER);

        Chromium.waitFor(driver, d -> d.getCurrentUrl().endsWith("/automation"));
        assertThat(driver.getPageSource()).contains("The rule \u201cPrice answer\u201d is saved.");
        String ruleId = driver.findElement(By.cssSelector("[data-testid=rule][data-name='Price answer']")).getAttribute("data-rule");
        Chromium.screenshot(driver, "rules-02-list");

        // The customer, in the sandbox's phone simulator (a member plays them).
        driver.get(baseUrl() + "/sandbox");
        Chromium.waitFor(driver, d -> !d.findElements(By.cssSelector("#number option[value='" + shop.phoneNumberId() + "']")).isEmpty());
        new Select(driver.findElement(By.id("number"))).selectByValue(shop.phoneNumberId());
        driver.findElement(By.id("new-wa-id")).sendKeys("919811160001");
        driver.findElement(By.id("new-name")).sendKeys("Asha Price");
        driver.findElement(By.id("create-customer")).click();
        Chromium.waitFor(driver, d -> d.findElement(By.id("chat-with")).getText().contains("919811160001"));
        driver.findElement(By.id("text")).sendKeys("What is the price?", Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.id("messages")).getText().contains(ANSWER));
        Chromium.screenshot(driver, "rules-03-phone-answered");

        UUID conversation = jdbc.sql("""
                select c.id from conversations c join contacts k on k.tenant_id = c.tenant_id and k.id = c.contact_id
                 where c.tenant_id = :t and k.wa_id = '919811160001'
                """).param("t", shop.id()).query(UUID.class).single();
        driver.get(baseUrl() + "/inbox/conversations/" + conversation + "?view=all");
        Chromium.waitFor(driver, d -> d.findElements(By.cssSelector("[data-testid=message].out")).size() == 1);
        String sent = Chromium.read(driver, d -> d.findElement(By.cssSelector("[data-testid=message].out")).getText());
        assertThat(sent).contains(ANSWER);
        String sender = Chromium.read(driver, d -> d.findElement(By.cssSelector("[data-testid=message].out [data-testid=sent-by-rule]")).getText());
        assertThat(sender).contains("Price answer");
        Chromium.screenshot(driver, "rules-04-sent-by-rule");

        driver.get(baseUrl() + "/automation/rules/" + ruleId + "/log");
        assertThat(driver.findElement(By.cssSelector("[data-testid=log-entry]")).getAttribute("data-outcome")).isEqualTo("FIRED");
        assertThat(driver.findElement(By.cssSelector("[data-testid=log-entry] [data-testid=log-action]")).getAttribute("data-ok")).isEqualTo("true");
        assertThat(driver.findElement(By.cssSelector("[data-testid=log-entry] [data-testid=log-conversation]")).getAttribute("href"))
                .endsWith("/inbox/conversations/" + conversation + "?view=all");
        Chromium.screenshot(driver, "rules-05-log");

        // The test panel on the same conversation: htmx redraws the panel alone, and nothing more is sent.
        driver.get(baseUrl() + "/automation/rules/" + ruleId);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.stillTheSamePage = true;");
        new Select(driver.findElement(By.id("trial-conversation"))).selectByValue(conversation.toString());
        driver.findElement(By.cssSelector("[data-testid=run-trial]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, d -> !d.findElements(By.cssSelector("[data-testid=trial-verdict]")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("[data-testid=trial-verdict]")).getAttribute("data-would-fire")).isIn("true", "false");
        assertThat(driver.findElement(By.cssSelector("[data-testid=trial-nothing-sent]")).getText()).contains("nothing was sent");
        assertThat(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
        Chromium.screenshot(driver, "rules-06-trial");
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", shop.id())
                .query(Integer.class).single()).isEqualTo(1);
    }
}
