package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.providers.EmbeddedResourceAxeProvider;
import hexa.identity.Fixtures;
import hexa.privacy.backups.BackupService;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.Eventually;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Settings → Backups in real Chromium, by keyboard: an Owner reaches the page from the settings menu, backs up now,
 * and finds the new backup listed; the page has no serious or critical WCAG 2.1 AA violation.
 */
class BackupsBrowserTest extends BrowserTest {

    private static final String RUN_AXE = """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
              .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                                         .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))),
                    e => done(['axe-core failed: ' + e]));
            """;

    @Autowired
    BackupService backups;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void an_owner_backs_up_now_from_the_settings_by_keyboard() throws Exception {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Backup Browser " + UUID.randomUUID().toString().substring(0, 4));
        // Backups by hand are 10 minutes apart across the installation; other tests in this server may have made one.
        if (backups.nextByHand().isAfter(clock.instant())) {
            clock.advance(java.time.Duration.between(clock.instant(), backups.nextByHand()).plusSeconds(1));
        }
        Chromium.signIn(driver, baseUrl(), workspace.owner().email());
        driver.get(baseUrl() + "/settings/workspace");
        WebElement link = driver.findElement(By.cssSelector(".settings-nav a[href='/settings/privacy/backups']"));
        assertThat(link.getText()).isEqualTo("Backups");
        link.sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.urlContains("/settings/privacy/backups"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Backups");

        ((JavascriptExecutor) driver).executeScript(new EmbeddedResourceAxeProvider().getScript());
        Object violations = ((JavascriptExecutor) driver).executeAsyncScript(RUN_AXE);
        assertThat((List<?>) violations).as("serious or critical WCAG 2.1 AA violations").isEmpty();

        driver.findElement(By.cssSelector("[data-testid=back-up-now]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("The backup has started."));
        Chromium.screenshot(driver, "backups-01-started");
        Eventually.until(() -> !backups.running(), "the backup to be done");
        String newest = backups.status().last().orElseThrow().name();
        driver.navigate().refresh();
        assertThat(driver.findElements(By.cssSelector("[data-testid=backups] tbody tr")).get(0).getText()).contains(newest);
        assertThat(driver.findElement(By.cssSelector("[data-testid=last-backup]")).getText()).isNotBlank();
        Chromium.screenshot(driver, "backups-02-listed");
    }
}
