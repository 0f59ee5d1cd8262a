package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;

/** A person's export in real Chromium, by keyboard: from the contact page to the export page, started, followed, downloaded. */
class ExportBrowserTest extends BrowserTest {

    @Test
    void an_owner_exports_a_contact_and_downloads_the_zip() {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Browser Export " + UUID.randomUUID().toString().substring(0, 4));
        String id = ApiClient.json(api(fixtures.apiToken(workspace, Role.ADMIN)).send("POST", "/api/v1/contacts",
                "{\"name\":\"Meera\",\"phone\":\"+919811199001\"}")).get("id").asString();
        Chromium.signIn(driver, baseUrl(), workspace.owner().email());

        driver.get(baseUrl() + "/contacts/" + id);
        driver.findElement(By.cssSelector("a[href='/contacts/" + id + "/export']")).sendKeys(Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=no-exports]")).isDisplayed());
        driver.findElement(By.cssSelector("[data-testid=start-export]")).sendKeys(Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("The export has started"));
        waitFor(d -> !d.findElements(By.cssSelector("[data-testid=export-download]")).isEmpty());
        Chromium.screenshot(driver, "export-01-ready");
        assertThat(driver.findElement(By.cssSelector("[data-testid=export-status]")).getText()).isEqualTo("Ready");

        // The browser's own request, with the session: a ZIP ("PK") of some size.
        String href = driver.findElement(By.cssSelector("[data-testid=export-download]")).getAttribute("href");
        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status, new TextDecoder().decode(new Uint8Array(b).slice(0, 2)), b.byteLength])));
                """, href);
        assertThat(((Number) answer.get(0)).intValue()).isEqualTo(200);
        assertThat(answer.get(1)).isEqualTo("PK");
        assertThat(((Number) answer.get(2)).longValue()).isGreaterThan(500);
    }

    private <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
