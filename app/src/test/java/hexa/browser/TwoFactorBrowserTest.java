package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.AuthenticatorApp;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Two-factor authentication as people use it, in real Chromium: enrol with the key shown (as an authenticator app
 * would), sign out, sign in with password and code, then lose the phone and sign in with a recovery code, which works
 * once only.
 */
class TwoFactorBrowserTest extends BrowserTest {

    @Test
    void enrol_sign_in_with_a_code_then_with_a_recovery_code_once() {
        clock.freeze();
        var workspace = fixtures.workspace("Two Step Teas");
        String email = workspace.owner().email();
        Chromium.signIn(driver, baseUrl(), email);

        driver.get(baseUrl() + "/profile");
        click(By.cssSelector("[data-testid=two-factor-link]"));
        click(By.xpath("//button[normalize-space()='Set up two-factor authentication']"));
        WebElement key = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=two-factor-secret]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=qr-code]")).getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        String secret = key.getText();
        Chromium.screenshot(driver, "2fa-01-enrol");
        driver.findElement(By.id("confirm-code")).sendKeys(AuthenticatorApp.code(secret, clock.instant()), Keys.ENTER);

        List<WebElement> shown = waitFor(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=recovery-codes] li"), 10));
        List<String> recoveryCodes = shown.stream().map(WebElement::getText).toList();
        assertThat(driver.findElement(By.cssSelector("[data-testid=two-factor-status]")).getText()).contains("on");
        Chromium.screenshot(driver, "2fa-02-recovery-codes");
        signOut();

        passwordStep(email);
        Chromium.screenshot(driver, "2fa-03-code");
        clock.advance(Duration.ofSeconds(30));
        driver.findElement(By.id("code")).sendKeys(AuthenticatorApp.code(secret, clock.instant()), Keys.ENTER);
        waitFor(ExpectedConditions.urlContains("/inbox"));
        signOut();

        // The phone is lost: a recovery code instead of the app's code.
        passwordStep(email);
        driver.findElement(By.id("code")).sendKeys(recoveryCodes.get(0), Keys.ENTER);
        waitFor(ExpectedConditions.urlContains("/inbox"));
        signOut();

        passwordStep(email);
        driver.findElement(By.id("code")).sendKeys(recoveryCodes.get(0), Keys.ENTER);
        WebElement error = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=form-error]")));
        assertThat(error.getText()).contains("That code is not right, or was already used");
        assertThat(driver.getCurrentUrl()).contains("/sign-in/two-factor");
        Chromium.screenshot(driver, "2fa-04-used-recovery-code");
    }

    private void passwordStep(String email) {
        driver.get(baseUrl() + "/sign-in");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(Fixtures.PASSWORD, Keys.ENTER);
        waitFor(ExpectedConditions.urlContains("/sign-in/two-factor"));
    }

    private void signOut() {
        click(By.cssSelector("[data-testid=person-menu]"));
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=sign-out]"))).click();
        waitFor(ExpectedConditions.urlContains("/sign-in"));
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
