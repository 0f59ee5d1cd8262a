package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Closing a workspace in real Chromium, by keyboard: a wrong name refused, the right one closes, the banner, keeping it. */
class ClosingBrowserTest extends BrowserTest {

    @Test
    void an_owner_closes_the_workspace_by_typing_its_name_sees_the_banner_and_keeps_it() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Browser Closing " + UUID.randomUUID().toString().substring(0, 4));
        Chromium.signIn(driver, baseUrl(), workspace.owner().email());

        driver.get(baseUrl() + "/settings/privacy/close");
        WebElement name = driver.findElement(By.id("closing-name"));
        name.sendKeys("Browser", Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=closing-error]")).isDisplayed());
        assertThat(driver.findElement(By.cssSelector("[data-testid=closing-error]")).getText()).contains(workspace.name());
        assertThat(driver.findElements(By.cssSelector("[data-testid=closing-banner]"))).isEmpty();

        name = driver.findElement(By.id("closing-name"));
        name.clear();
        name.sendKeys(workspace.name(), Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=closing-banner]")).isDisplayed());
        Chromium.screenshot(driver, "closing-01-closing");
        assertThat(driver.findElement(By.cssSelector("[data-testid=closing-banner]")).getText()).contains("will be deleted on");

        driver.get(baseUrl() + "/contacts");
        assertThat(driver.findElement(By.cssSelector("[data-testid=closing-banner]")).getText()).contains("Keep the workspace");
        driver.findElement(By.cssSelector("[data-testid=closing-banner] a")).sendKeys(Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=keep]")).isDisplayed());
        driver.findElement(By.cssSelector("[data-testid=keep]")).sendKeys(Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("The workspace is kept"));
        assertThat(driver.findElements(By.cssSelector("[data-testid=closing-banner]"))).isEmpty();
    }

    private <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
