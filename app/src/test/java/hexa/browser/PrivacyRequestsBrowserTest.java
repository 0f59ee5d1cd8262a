package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.Eventually;
import hexa.whatsapp.VerificationCodes;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The public privacy page in real Chromium, by keyboard: an Owner writes the page's text and copies its address; a
 * customer opens it, asks for erasure, types the code WhatsApp brought them and lands on their request's status page;
 * the Owner finds the request in the list and rejects it with a reason, which the customer's status page then shows.
 */
class PrivacyRequestsBrowserTest extends BrowserTest {

    private static final Pattern CODE = Pattern.compile("(\\d{6}) is your verification code");

    @Autowired
    JdbcClient jdbc;

    @Test
    void a_customer_asks_for_erasure_on_the_public_page_and_the_owner_decides() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Privacy browser " + UUID.randomUUID().toString().substring(0, 6));
        shop.customer().writes("447700900661", "Hi there");

        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        driver.get(baseUrl() + "/settings/privacy/public-page");
        driver.findElement(By.id("privacy-text")).sendKeys("# How we use your data\nWe keep your messages {messageDays}.");
        driver.findElement(By.id("due-days")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("The public privacy page is saved."));
        assertThat(driver.findElement(By.cssSelector("[data-testid=preview]")).getText()).contains("We keep your messages 90 days.");
        String address = driver.findElement(By.cssSelector("[data-testid=public-address]")).getAttribute("value");
        assertThat(address).startsWith(baseUrl() + "/privacy/");
        Eventually.until(() -> "APPROVED".equals(jdbc.sql("select status from whatsapp_templates where tenant_id = :t and name = :n")
                .param("t", shop.id()).param("n", VerificationCodes.TEMPLATE).query(String.class).optional().orElse("")), "the code template to be approved");
        Chromium.screenshot(driver, "privacy-01-public-page-settings");
        ((org.openqa.selenium.chrome.ChromeDriver) driver).executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());

        // The customer, not signed in.
        driver.get(address);
        assertThat(driver.findElement(By.cssSelector("h2")).getText()).isEqualTo("How we use your data");
        driver.findElement(By.id("number")).sendKeys("+44 7700 900661");
        driver.findElement(By.id("kind-erasure")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("number")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=code-sent]")));
        String code = Eventually.present(() -> {
            Matcher matcher = CODE.matcher(shop.customer().chat("447700900661").toString());
            return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
        }, "the code on the customer's phone");
        Chromium.screenshot(driver, "privacy-02-code-sent");
        driver.findElement(By.id("code")).sendKeys(code, Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=request-status]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=request-state]")).getText()).isEqualTo("Awaiting approval");
        String statusPage = driver.getCurrentUrl();
        Chromium.screenshot(driver, "privacy-03-request-status");

        // The Owner decides.
        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        driver.get(baseUrl() + "/settings/privacy/requests");
        assertThat(driver.findElement(By.cssSelector("[data-testid=kind]")).getText()).isEqualTo("Erasure of their data");
        driver.findElement(By.cssSelector("[data-testid=request] summary")).sendKeys(Keys.ENTER);
        driver.findElement(By.cssSelector("[data-testid=request] input[name=reason]")).sendKeys("We could not confirm this is you", Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("The request is rejected."));
        assertThat(driver.findElement(By.cssSelector("[data-testid=state]")).getText()).isEqualTo("Rejected");
        Chromium.screenshot(driver, "privacy-04-requests");

        driver.get(statusPage);
        assertThat(driver.findElement(By.cssSelector("[data-testid=rejection-reason]")).getText()).contains("We could not confirm this is you");
    }
}
