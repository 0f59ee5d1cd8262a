package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.ApiClient;
import hexa.support.Chromium;
import hexa.support.BrowserTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The contact page's main path in real Chromium, by keyboard where a person would use it: a member
 * adds a contact with a number written the local way, fills a custom field, edits the details, tags
 * the person and writes a note; the timeline tells what happened.
 */
class ContactBrowserTest extends BrowserTest {

    private Fixtures.TestWorkspace workspace;
    private Fixtures.Person supervisor;

    @BeforeEach
    void aWorkspaceWithAField() {
        workspace = fixtures.workspace("Browser Contacts " + UUID.randomUUID().toString().substring(0, 4));
        supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        api(fixtures.apiToken(workspace, Role.ADMIN)).send("POST", "/api/v1/contact-attributes",
                "{\"label\":\"Plan\",\"type\":\"list\",\"options\":[\"Free\",\"Pro\"]}");
    }


    @Test
    void a_member_adds_a_contact_edits_tags_and_notes_it_and_the_timeline_shows_it() {
        Chromium.signIn(driver, baseUrl(), supervisor.email());

        driver.get(baseUrl() + "/contacts/new");
        driver.findElement(By.id("name")).sendKeys("Priya <Shah>");
        driver.findElement(By.id("phone")).sendKeys("098111 22255");
        driver.findElement(By.id("tags")).sendKeys("VIP, Lead");
        new Select(driver.findElement(By.id("attr-plan"))).selectByVisibleText("Pro");
        driver.findElement(By.id("company")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=contact-page]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=contact-name]")).getText()).contains("Priya <Shah>");
        assertThat(driver.findElement(By.cssSelector("[data-testid=contact-phone]")).getText()).isEqualTo("+919811122255");
        assertThat(driver.findElements(By.cssSelector("[data-testid=tag]"))).extracting(WebElement::getText).containsExactly("lead", "vip");
        assertThat(new Select(driver.findElement(By.id("attr-plan"))).getFirstSelectedOption().getText()).isEqualTo("Pro");
        Chromium.screenshot(driver, "contact-01-created");

        // Edit the details: the company, by keyboard.
        WebElement company = driver.findElement(By.id("company"));
        company.sendKeys("Shah Spices");
        company.sendKeys(Keys.ENTER);
        waitFor(d -> d.findElement(By.cssSelector("[role=status]")).getText().contains("Contact saved."));
        assertThat(driver.findElement(By.id("company")).getAttribute("value")).isEqualTo("Shah Spices");

        // A tag: type it and press Enter.
        driver.findElement(By.id("new-tag")).sendKeys("Repeat buyer", Keys.ENTER);
        waitFor(d -> d.findElements(By.cssSelector("[data-testid=tag]")).size() == 3);

        // A note: type it, then Tab to its button and press Enter, as a keyboard user does.
        WebElement note = driver.findElement(By.cssSelector("[data-testid=note-body]"));
        note.sendKeys("Asks for <b>bold</b> packaging");
        note.sendKeys(Keys.TAB);
        assertThat(driver.switchTo().activeElement().getAttribute("data-testid")).isEqualTo("add-note");
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor(d -> !d.findElements(By.cssSelector("[data-testid=note-text]")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("[data-testid=note-text]")).getText()).isEqualTo("Asks for <b>bold</b> packaging");

        // Edit one's own note: the summary opens by keyboard.
        WebElement summary = driver.findElement(By.cssSelector("[data-testid=note] summary"));
        summary.sendKeys(Keys.ENTER);
        WebElement edit = driver.findElement(By.cssSelector("[data-testid=note] details textarea"));
        waitFor(ExpectedConditions.visibilityOf(edit));
        edit.clear();
        edit.sendKeys("Asks for plain packaging");
        driver.findElement(By.cssSelector("[data-testid=note] details button")).click();
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=note-text]")).getText().equals("Asks for plain packaging"));

        String timeline = driver.findElement(By.cssSelector("[data-testid=timeline]")).getText();
        assertThat(timeline).contains("Company changed").contains("Shah Spices").contains("Tag \"repeat buyer\" added")
                .contains("Note by " + supervisor.name()).contains("Contact created");
        Chromium.screenshot(driver, "contact-02-edited");

        String id = driver.getCurrentUrl().replaceAll(".*/contacts/", "").replaceAll("[?#].*", "");
        var contact = ApiClient.json(api(fixtures.apiToken(workspace, Role.AGENT)).get("/api/v1/contacts/" + id));
        assertThat(contact.get("company").asString()).isEqualTo("Shah Spices");
        assertThat(contact.get("attributes").get("plan").asString()).isEqualTo("Pro");
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
