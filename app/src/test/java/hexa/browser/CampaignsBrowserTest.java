package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.contacts.ContactFilter;
import hexa.contacts.ContactSegments;
import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.tenant.TenantContext;
import hexa.support.ApiClient;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import hexa.support.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Campaigns in real Chromium, with the keyboard: a Supervisor writes a marketing template and sees Meta (the sandbox)
 * approve it, writes a campaign to a saved segment through the form (the template's placeholders appear as it is chosen),
 * sees who it reaches and a preview for real recipients, starts it, and watches its funnel move from sent to delivered
 * to read and the campaign finish on the same page, without reloading it: the page's server-sent events bring each step.
 */
class CampaignsBrowserTest extends BrowserTest {

    @Autowired
    ContactSegments segments;

    private Fixtures.SandboxWorkspace shop;

    @AfterEach
    void metaBehavesAsUsualAgain() {
        if (shop != null) {
            shop.customer().switches("{\"deliveredDelayMs\": 300, \"readDelayMs\": 800}");
        }
    }

    @Test
    void a_campaign_to_a_segment_is_written_started_and_its_funnel_moves_on_the_page() {
        shop = fixtures.withSandboxNumber("Campaigns browser " + UUID.randomUUID().toString().substring(0, 6));
        ApiClient api = api(fixtures.apiToken(shop.workspace(), Role.SUPERVISOR));
        for (String[] person : List.of(new String[] {"Asha Rao", "+91 98450 10001"}, new String[] {"Ravi <b>Kumar</b>", "+91 98450 10002"},
                new String[] {"Meera Iyer", "+91 98450 10003"}, new String[] {"Kabir Shah", "+91 98450 10004"})) {
            Response created = api.send("POST", "/api/v1/contacts", "{\"name\": \"" + person[0] + "\", \"phone\": \"" + person[1] + "\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = ApiClient.json(created).get("id").asString();
            if (!person[0].startsWith("Kabir")) {
                assertThat(api.send("POST", "/api/v1/contacts/" + id + "/consent", "{\"status\": \"opted_in\"}").status()).isBetween(200, 299);
            }
            assertThat(api.send("PUT", "/api/v1/contacts/" + id + "/tags/regular", null).status()).isEqualTo(200);
        }
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            segments.create("Regulars", new ContactFilter(null, List.of("regular"), "any", null, null, null, null, null, null, null, null, null));
        }
        // Meta's statuses a little apart, so that each step of the funnel shows on its own.
        shop.customer().switches("{\"deliveredDelayMs\": 1500, \"readDelayMs\": 4000}");

        Fixtures.Person supervisor = fixtures.member(shop.workspace(), Role.SUPERVISOR);
        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        writeTemplate();
        driver.manage().deleteAllCookies();
        Chromium.signIn(driver, baseUrl(), supervisor.email());

        driver.get(baseUrl() + "/campaigns");
        assertThat(driver.findElement(By.cssSelector("[data-testid=campaigns-empty]")).getText()).contains("No campaigns yet");
        driver.findElement(By.cssSelector("[data-testid=new-campaign]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("campaign-name")));

        driver.findElement(By.id("campaign-name")).sendKeys("Spring sale for regulars");
        new Select(driver.findElement(By.id("audience-segment"))).selectByVisibleText("Regulars");
        new Select(driver.findElement(By.id("campaign-template"))).selectByValue("spring_offer|en_US");
        // The template's placeholders come with it: the first from the contact's first name, the second a fixed text.
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("A-body-1-source")));
        assertThat(new Select(driver.findElement(By.id("A-body-0-source"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("FIELD");
        new Select(driver.findElement(By.id("A-body-0-field"))).selectByValue("firstName");
        driver.findElement(By.id("A-body-0-fallback")).sendKeys("there");
        new Select(driver.findElement(By.id("A-body-1-source"))).selectByValue("TEXT");
        Chromium.waitFor(driver, d -> d.findElement(By.id("A-body-1-text")).isDisplayed());
        driver.findElement(By.id("A-body-1-text")).sendKeys("spring sale");
        assertThat(driver.findElement(By.id("number-" + shop.number().id())).isSelected()).as("the only number is chosen").isTrue();
        Chromium.screenshot(driver, "campaigns-01-form");
        driver.findElement(By.cssSelector("[data-testid=save-campaign]")).sendKeys(Keys.ENTER);

        // The draft: who it reaches by reason, and the message as real recipients get it.
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("saved as a draft"));
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[data-testid=audience-reached]")).getText().equals("3"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=audience-excluded]")).getText()).contains("No marketing consent: 1");
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[data-testid=campaign-preview]")).getText()
                .contains("Hello Asha, our spring sale starts today."));
        assertThat(driver.findElement(By.cssSelector("[data-testid=campaign-preview]")).getText()).contains("Ravi <b>Kumar</b>");
        Chromium.screenshot(driver, "campaigns-02-draft");

        driver.findElement(By.cssSelector("[data-testid=start-campaign]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, ExpectedConditions.alertIsPresent()).accept();
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("started"));

        // From here the page is never reloaded: a mark on it stays while the funnel moves.
        ((JavascriptExecutor) driver).executeScript("document.body.setAttribute('data-not-reloaded', 'yes')");
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[data-testid=campaign-live]")) != null);
        assertThat(funnel(driver, "read")).as("nobody has read it yet (Meta's reads come 4 s after each send)").isEqualTo("0");
        Chromium.waitFor(driver, d -> funnel(d, "sent").equals("3"));
        Chromium.screenshot(driver, "campaigns-03-sent");
        Chromium.waitFor(driver, d -> funnel(d, "delivered").equals("3"));
        Chromium.waitFor(driver, d -> funnel(d, "read").equals("3"));
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[data-testid=campaign-status]")).getAttribute("data-status").equals("FINISHED"));
        assertThat(driver.findElement(By.tagName("body")).getAttribute("data-not-reloaded")).isEqualTo("yes");
        assertThat(funnel(driver, "recipients")).isEqualTo("3");
        assertThat(driver.findElement(By.cssSelector("[data-testid=funnel-excluded]")).getText()).contains("No marketing consent: 1");
        Chromium.screenshot(driver, "campaigns-04-read");

        // The recipients table came in when the campaign started; filtered by state without leaving the page.
        Chromium.waitFor(driver, d -> Chromium.now(d, By.cssSelector("[data-testid=recipient]")).size() == 4);
        new Select(driver.findElement(By.id("recipients-state"))).selectByValue("EXCLUDED");
        Chromium.waitFor(driver, d -> Chromium.now(d, By.cssSelector("[data-testid=recipient]")).size() == 1
                && d.findElement(By.cssSelector("[data-testid=recipient]")).getText().contains("Kabir Shah"));
        assertThat(driver.findElement(By.tagName("body")).getAttribute("data-not-reloaded")).isEqualTo("yes");
    }

    /** Settings → Templates: the marketing template, submitted and approved by the sandbox's review. */
    private void writeTemplate() {
        driver.get(baseUrl() + "/settings/templates/new");
        driver.findElement(By.id("template-name")).sendKeys("spring_offer");
        new Select(driver.findElement(By.id("template-category"))).selectByValue("MARKETING");
        driver.findElement(By.id("template-body")).sendKeys("Hello {{1}}, our {{2}} starts today.");
        Chromium.waitFor(driver, ExpectedConditions.presenceOfElementLocated(By.id("example-2")));
        driver.findElement(By.id("example-1")).sendKeys("Asha");
        driver.findElement(By.id("example-2")).sendKeys("spring sale");
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[data-testid=template-preview] [data-testid=template-body]")).getText()
                .equals("Hello Asha, our spring sale starts today."));
        driver.findElement(By.cssSelector("[data-testid=submit-template]")).sendKeys(Keys.ENTER);
        Chromium.waitFor(driver, d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("submitted to Meta for review"));
        Chromium.waitFor(driver, d -> {
            d.navigate().refresh();
            return d.findElement(By.cssSelector("[data-testid=template-status]")).getText().equals("Approved");
        });
    }

    private static String funnel(WebDriver d, String stage) {
        return Chromium.read(d, x -> x.findElement(By.cssSelector("[data-testid=funnel-" + stage + "]")).getText());
    }
}
