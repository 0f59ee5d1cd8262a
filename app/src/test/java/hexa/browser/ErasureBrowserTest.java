package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * "Erase this person" in real Chromium, by keyboard: from the contact page to the confirmation, a wrong name refused,
 * the right one typed, the contacts list with its notice, and the certificate it links to.
 */
class ErasureBrowserTest extends BrowserTest {

    @Test
    void an_admin_erases_a_person_by_keyboard_and_opens_the_certificate() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Browser Erasure " + UUID.randomUUID().toString().substring(0, 4));
        Fixtures.Person admin = fixtures.member(workspace, Role.ADMIN);
        ApiClient api = api(fixtures.apiToken(workspace, Role.ADMIN));
        String id = ApiClient.json(api.send("POST", "/api/v1/contacts", "{\"name\":\"Lena Forget\",\"phone\":\"+4915112345678\"}")).get("id").asString();
        api.send("POST", "/api/v1/contacts/" + id + "/notes", "{\"body\":\"Wants everything deleted\"}");
        Chromium.signIn(driver, baseUrl(), admin.email());

        driver.get(baseUrl() + "/contacts/" + id);
        driver.findElement(By.cssSelector("[data-testid=erase-person]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=erasure-form]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=erasure-preview]")).getText()).contains("1 note");
        Chromium.screenshot(driver, "erasure-01-confirm");

        WebElement confirmation = driver.findElement(By.id("confirmation"));
        confirmation.sendKeys("Lena", Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=erasure-error]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=erasure-error]")).getText()).contains("That is not Lena Forget");

        confirmation = driver.findElement(By.id("confirmation"));
        confirmation.clear();
        confirmation.sendKeys("lena forget");
        driver.findElement(By.id("reason")).sendKeys("Asked at the counter", Keys.ENTER);
        waitFor(d -> d.getCurrentUrl().endsWith("/contacts"));
        assertThat(driver.findElement(By.cssSelector("[role=status]")).getText()).contains("The person was erased");
        Chromium.screenshot(driver, "erasure-02-erased");

        driver.findElement(By.cssSelector("[data-testid=notice-link]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=erasure-certificate]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=erasure-certificate]")).getText()).contains("Asked at the counter")
                .contains(admin.name()).doesNotContain("Lena");
        assertThat(driver.findElement(By.cssSelector("[data-testid=erasure-removed]")).getText()).contains("contact_notes");
        Chromium.screenshot(driver, "erasure-03-certificate");
        assertThat(api.get("/api/v1/contacts/" + id).status()).isEqualTo(404);
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
