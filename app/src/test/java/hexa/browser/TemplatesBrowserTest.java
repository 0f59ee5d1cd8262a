package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Settings → Templates in real Chromium: an Owner writes a template, the preview follows each edit (its variable's
 * example field appears as the body gets the variable), submits it to Meta (the sandbox) and sees it approved.
 */
class TemplatesBrowserTest extends BrowserTest {

    @Test
    void a_template_is_written_with_its_preview_submitted_and_approved() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Templates browser " + UUID.randomUUID().toString().substring(0, 6));
        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        driver.get(baseUrl() + "/settings/templates");
        driver.findElement(By.cssSelector("[data-testid=new-template]")).click();
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("template-name")));

        driver.findElement(By.id("template-name")).sendKeys("delivery_note");
        new Select(driver.findElement(By.id("template-category"))).selectByValue("UTILITY");
        new Select(driver.findElement(By.id("template-header-format"))).selectByValue("TEXT");
        driver.findElement(By.id("template-header-text")).sendKeys("Your delivery");
        driver.findElement(By.id("template-body")).sendKeys("Hello {{1}}, your parcel arrives today.");
        Chromium.waitFor(driver, d -> previewBody(d).equals("Hello {{1}}, your parcel arrives today."));
        // The variable's example field came with the preview; its value fills the preview in.
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("example-1")));
        driver.findElement(By.id("example-1")).sendKeys("Asha");
        Chromium.waitFor(driver, d -> previewBody(d).equals("Hello Asha, your parcel arrives today."));
        driver.findElement(By.id("template-footer")).sendKeys("Demo couriers");
        new Select(driver.findElement(By.id("button-0-type"))).selectByValue("QUICK_REPLY");
        driver.findElement(By.id("button-0-text")).sendKeys("Thanks");
        Chromium.waitFor(driver, d -> preview(d).contains("Demo couriers") && preview(d).contains("Thanks") && preview(d).contains("Your delivery"));
        Chromium.screenshot(driver, "templates-01-form-with-preview");

        driver.findElement(By.cssSelector("[data-testid=submit-template]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("submitted to Meta for review"));
        // The sandbox reviews it after its delay; a reload shows Meta's decision.
        Chromium.waitFor(driver, d -> {
            d.navigate().refresh();
            return d.findElement(By.cssSelector("[data-testid=template-status]")).getText().equals("Approved");
        });
        assertThat(previewBody(driver)).isEqualTo("Hello Asha, your parcel arrives today.");
        Chromium.screenshot(driver, "templates-02-approved");
    }

    private static String preview(WebDriver d) {
        return d.findElement(By.cssSelector("[data-testid=template-preview]")).getText();
    }

    private static String previewBody(WebDriver d) {
        return d.findElement(By.cssSelector("[data-testid=template-preview] [data-testid=template-body]")).getText();
    }
}
