package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.SandboxCustomer;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The flow editor in real Chromium: an Owner builds a two-step flow (a message, then the end), sees the problems of a
 * step added without a next one (what was typed is kept), sees the diagram follow, publishes, and a customer writing
 * the keyword on the sandbox phone gets the first message.
 */
class FlowEditorBrowserTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void an_owner_builds_and_publishes_a_flow_and_the_customers_keyword_gets_its_first_message() {
        Fixtures.SandboxWorkspace workspace = fixtures.withSandboxNumber("Flow editor " + UUID.randomUUID().toString().substring(0, 4));
        SandboxCustomer customer = workspace.customer();
        Chromium.signIn(driver, baseUrl(), workspace.owner().email());

        driver.get(baseUrl() + "/automation/flows");
        assertThat(driver.findElement(By.cssSelector("[data-testid=flows-empty]")).isDisplayed()).isTrue();
        driver.findElement(By.cssSelector("[data-testid=new-flow]")).click();
        driver.findElement(By.id("flow-name")).sendKeys("Greeter");
        driver.findElement(By.id("flow-keywords")).sendKeys("hello, hi");
        driver.findElement(By.id("flow-keywords")).submit();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=flow-form]")));

        WebElement text = driver.findElement(By.id("step-0-text"));
        text.clear();
        text.sendKeys("Hi from the editor <3");

        // A step added without a next one: saving names the problem and keeps what was typed.
        new Select(driver.findElement(By.id("add-type"))).selectByValue("send");
        press(By.cssSelector("[data-testid=add-step]"));
        waitFor(d -> d.findElements(By.cssSelector("[data-testid=step-card]")).size() == 3);
        press(By.cssSelector("[data-testid=save-draft]"));
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=flow-problems]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=flow-problems]")).getText()).contains("send-3 is a dead end")
                .contains("Step send-3 is never reached");
        assertThat(driver.findElement(By.id("step-0-text")).getAttribute("value")).isEqualTo("Hi from the editor <3");
        Chromium.screenshot(driver, "flows-01-problems");

        press(By.cssSelector("[data-step=send-3] button[name=remove]"));
        waitFor(d -> d.findElements(By.cssSelector("[data-testid=step-card]")).size() == 2);
        press(By.cssSelector("[data-testid=save-draft]"));
        waitFor(d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("Draft of Greeter saved."));
        assertThat(driver.findElements(By.cssSelector("[data-testid=flow-diagram] .flow-step"))).hasSize(2);
        assertThat(driver.findElements(By.cssSelector("[data-testid=flow-diagram] .flow-link[data-from=welcome][data-to=done]"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("[data-testid=flow-diagram] [data-step=welcome]")).getText()).contains("Hi from the editor");
        Chromium.screenshot(driver, "flows-02-diagram");

        press(By.cssSelector("[data-testid=publish]"));
        waitFor(ExpectedConditions.alertIsPresent()).accept();
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=flow-published]")).getText().contains("version 1"));

        UUID conversation = customer.writes("919800002001", "Hello");
        String first = jdbc.sql("select body from messages where tenant_id = :t and conversation_id = :c and direction = 'OUTBOUND' order by created_at limit 1")
                .param("t", workspace.id()).param("c", conversation).query(String.class).single();
        assertThat(first).isEqualTo("Hi from the editor <3");
        driver.navigate().refresh();
        assertThat(driver.findElement(By.cssSelector("[data-testid=runs]")).getText()).contains("ended");
    }

    /** Presses the button from the keyboard, as a person tabbing through the editor would. */
    private void press(By button) {
        driver.findElement(button).sendKeys(org.openqa.selenium.Keys.ENTER);
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
