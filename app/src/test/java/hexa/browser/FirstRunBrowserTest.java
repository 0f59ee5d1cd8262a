package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.Chromium;
import hexa.support.FreshInstallationTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A new installation as people meet it, in real Chromium: empty database → set-up page → the owner
 * invites an agent → the agent accepts and signs in → the agent sees no Settings.
 */
class FirstRunBrowserTest extends FreshInstallationTest {

    private WebDriver driver;

    @BeforeEach
    void startBrowser() {
        driver = Chromium.start();
    }

    @AfterEach
    void quitBrowser() {
        if (driver != null) {
            Chromium.release(driver);
        }
    }

    @Test
    void from_an_empty_database_to_an_agent_at_work() {
        driver.get(baseUrl() + "/");
        assertThat(driver.getCurrentUrl()).endsWith("/setup");
        Chromium.screenshot(driver, "01-setup");

        driver.findElement(By.id("setup-workspaceName")).sendKeys("Masala Traders");
        new Select(driver.findElement(By.id("timeZone"))).selectByValue("Asia/Kolkata");
        new Select(driver.findElement(By.id("country"))).selectByValue("IN");
        driver.findElement(By.id("name")).sendKeys("Owen Owner");
        driver.findElement(By.id("email")).sendKeys("owen@masala.example");
        driver.findElement(By.id("password")).sendKeys("a-long-owner-password");
        click(By.cssSelector("button[type=submit]"));

        waitFor(ExpectedConditions.urlContains("/inbox"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=workspace-switcher]")).getText()).contains("Masala Traders");
        Chromium.screenshot(driver, "02-owner-inbox");

        click(By.cssSelector("[data-nav='nav.settings']"));
        click(By.linkText("Members"));
        driver.findElement(By.id("invite-email")).sendKeys("asha@masala.example");
        new Select(driver.findElement(By.id("invite-role"))).selectByValue("AGENT");
        click(By.xpath("//button[normalize-space()='Create invitation']"));
        WebElement linkField = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=invitation-link]")));
        String link = linkField.getAttribute("value");
        assertThat(link).contains("/invitations/inv_");
        Chromium.screenshot(driver, "03-invitation-link");

        driver.get(baseUrl() + "/settings/api-tokens");
        driver.findElement(By.id("token-name")).sendKeys("Shop website");
        click(By.xpath("//button[normalize-space()='Create token']"));
        assertThat(waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=new-token]"))).getAttribute("value")).startsWith("hexa_");
        Chromium.screenshot(driver, "03b-api-token");
        // A plain installation offers Meta's numbers only: the sandbox is for --demo and tests (SmallScreenBrowserTest connects one).
        driver.get(baseUrl() + "/settings/whatsapp");
        assertThat(Chromium.now(driver, By.cssSelector("[data-testid=connect-sandbox]"))).as("no sandbox on a fresh installation").isEmpty();
        Chromium.screenshot(driver, "03a-whatsapp-settings");

        driver.get(baseUrl() + "/settings/audit-log");
        assertThat(driver.findElements(By.cssSelector("tr[data-action='invitation.sent']"))).hasSize(1);
        Chromium.screenshot(driver, "03c-audit-log");

        click(By.cssSelector("[data-testid=person-menu]"));
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=sign-out]"))).click();
        waitFor(ExpectedConditions.urlContains("/sign-in"));

        driver.get(link);
        assertThat(driver.findElement(By.tagName("h1")).getText()).contains("Join Masala Traders");
        // This server sends no mail: the page says that whoever holds the link creates the account.
        assertThat(driver.findElement(By.cssSelector("[data-testid=no-mail-warning]")).getText()).contains("whoever holds this link");
        WebElement newAccount = driver.findElement(By.cssSelector("[data-testid=new-account]"));
        newAccount.findElement(By.id("name")).sendKeys("Asha Agent");
        newAccount.findElement(By.id("new-password")).sendKeys("a-long-agent-password");
        Chromium.screenshot(driver, "04-accept-invitation");
        click(By.cssSelector("[data-testid=new-account] button[type=submit]"));

        waitFor(ExpectedConditions.urlContains("/inbox"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=person-menu]")).getText()).contains("Asha Agent").contains("Agent");
        List<WebElement> settings = Chromium.now(driver, By.cssSelector("[data-nav='nav.settings']"));
        assertThat(settings).as("an agent sees no Settings").isEmpty();
        assertThat(driver.findElements(By.cssSelector("[data-nav='nav.inbox']"))).hasSize(1);
        Chromium.screenshot(driver, "05-agent-inbox");

        driver.get(baseUrl() + "/settings/members");
        assertThat(driver.findElement(By.tagName("h1")).getText()).contains("access");
        Chromium.screenshot(driver, "06-agent-forbidden");
    }

    /** Clicks like a person who first scrolls the element into view. */
    private void click(By locator) {
        WebElement element = driver.findElement(locator);
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
        waitFor(ExpectedConditions.elementToBeClickable(element)).click();
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
