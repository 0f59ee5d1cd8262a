package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.sandbox.SandboxClock;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settings → Privacy in real Chromium: an Owner finds it in the settings, is told why a period is refused, saves one,
 * counts what the next run will remove, backs out of "Run now" at the confirmation, then runs it.
 */
class RetentionBrowserTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SandboxClock sandboxClock;

    private Duration sandboxOffset;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
        if (sandboxOffset != null) {
            sandboxClock.advance(sandboxOffset.minus(sandboxClock.offset()));
        }
    }

    @Test
    void an_owner_sets_the_message_period_sees_the_dry_run_and_runs_the_purge() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Privacy Teas " + UUID.randomUUID().toString().substring(0, 4));
        sandboxOffset = sandboxClock.offset();
        clock.advance(Duration.ofDays(-40));
        sandboxClock.advance(Duration.ofDays(-40));
        shop.customer().writes("919811144401", "Forty days ago");
        realTimeAgain();
        shop.customer().writes("919811144402", "Today");

        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        driver.get(baseUrl() + "/settings/inbox");
        click(By.cssSelector(".settings-nav a[href='/settings/privacy']"));
        waitFor(ExpectedConditions.urlContains("/settings/privacy"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=webhook-bodies]")).getText()).contains("7 more days");

        WebElement days = driver.findElement(By.id("message-days"));
        days.clear();
        days.sendKeys("5", Keys.ENTER);
        WebElement error = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=retention-error]")));
        assertThat(error.getText()).contains("from 30 to 3,650");
        assertThat(driver.findElement(By.id("message-days")).getAttribute("aria-invalid")).isEqualTo("true");
        Chromium.screenshot(driver, "privacy-01-refused");

        days = driver.findElement(By.id("message-days"));
        days.clear();
        days.sendKeys("30", Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Retention periods saved."));

        click(By.cssSelector("[data-testid=dry-run]"));
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Dry run done"));
        String next = driver.findElement(By.cssSelector("[data-testid=next-run]")).getText();
        assertThat(next).contains("messages", "conversations");
        Chromium.screenshot(driver, "privacy-02-dry-run");

        click(By.cssSelector("[data-testid=run-now]"));
        waitFor(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(bodies(shop.id())).as("backing out removes nothing").containsExactlyInAnyOrder("Forty days ago", "Today");

        click(By.cssSelector("[data-testid=run-now]"));
        waitFor(ExpectedConditions.alertIsPresent()).accept();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "The purge removed"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=last-run]")).getText()).contains("ran the purge by hand", "messages");
        assertThat(bodies(shop.id())).containsExactly("Today");
        Chromium.screenshot(driver, "privacy-03-ran");
    }

    private java.util.List<String> bodies(UUID tenant) {
        return jdbc.sql("select body from messages where tenant_id = :t").param("t", tenant).query(String.class).list();
    }

    private void click(By locator) {
        WebElement element = waitFor(ExpectedConditions.presenceOfElementLocated(locator));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
        waitFor(ExpectedConditions.elementToBeClickable(element)).click();
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
