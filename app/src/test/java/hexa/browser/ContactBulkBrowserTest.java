package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.Chromium;
import hexa.support.BrowserTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A bulk action on everything a filter matches, as a supervisor does it in real Chromium and by keyboard: filter the
 * list, choose "everything this filter matches" and a tag, confirm the count, watch the progress bar while the job
 * runs (it waits on a contact someone is editing), and see the outcome over the refreshed list.
 */
class ContactBulkBrowserTest extends BrowserTest {

    private static final int LEADS = 3_000;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;




    @Test
    void tag_everything_a_filter_matches_and_watch_the_bar_reach_the_outcome() throws Exception {
        var workspace = fixtures.workspace("Browser Bulk " + UUID.randomUUID().toString().substring(0, 4));
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        jdbc.sql("""
                insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at)
                select :t, gen_random_uuid(), 'Lead ' || n, '+9198' || lpad(n::text, 8, '0'), now(), now() from generate_series(1, :n) n
                """).param("t", workspace.id()).param("n", LEADS).update();
        jdbc.sql("insert into contact_tags (tenant_id, contact_id, tag, created_at) select tenant_id, id, 'lead', now() from contacts where tenant_id = :t")
                .param("t", workspace.id()).update();
        jdbc.sql("insert into contacts (tenant_id, id, name, phone_e164, created_at, updated_at) values (:t, gen_random_uuid(), 'A customer', '+919700000001', now(), now())")
                .param("t", workspace.id()).update();
        UUID edited = jdbc.sql("select id from contacts where tenant_id = :t and name = 'Lead 1234'").param("t", workspace.id()).query(UUID.class).single();

        Chromium.signIn(driver, baseUrl(), supervisor.email());
        driver.get(baseUrl() + "/contacts?tag=lead");
        assertThat(driver.findElement(By.cssSelector("[data-testid=matched]")).getText()).isEqualTo("3,000");

        // By keyboard: everything this filter matches, add the tag "spring fair", continue.
        WebElement scope = driver.findElement(By.id("scope-filter"));
        scope.sendKeys(Keys.SPACE);
        assertThat(scope.isSelected()).isTrue();
        driver.findElement(By.id("bulk-tag")).sendKeys("Spring fair");
        driver.findElement(By.cssSelector("[data-testid=bulk-submit]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=bulk-confirm]")));
        assertThat(driver.findElement(By.cssSelector("[data-testid=bulk-count]")).getText()).contains("Add the tag \"Spring fair\" to 3,000 contacts.");
        Chromium.screenshot(driver, "bulk-01-confirm");

        try (Connection editing = dataSource.getConnection()) {
            // Someone is saving one of the leads: the job waits for them, and the bar shows it running.
            editing.setAutoCommit(false);
            try (PreparedStatement lock = editing.prepareStatement("select id from contacts where tenant_id = ? and id = ? for update")) {
                lock.setObject(1, workspace.id());
                lock.setObject(2, edited);
                lock.executeQuery().close();
            }
            driver.findElement(By.cssSelector("[data-testid=bulk-confirm-button]")).sendKeys(Keys.ENTER);
            waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=bulk-job]")));
            assertThat(driver.getCurrentUrl()).contains("/contacts?tag=lead&bulk=");
            // The card is redrawn every second while the job runs: each read finds it again.
            By card = By.cssSelector("[data-testid=bulk-job]");
            assertThat(Chromium.<String>read(driver, d -> d.findElement(card).getAttribute("data-status"))).isIn("queued", "running");
            assertThat(Chromium.<String>read(driver, d -> d.findElement(card).getText())).contains("Adding the tag \"Spring fair\"").contains("of 3,000 contacts");
            assertThat(Chromium.<String>read(driver, d -> d.findElement(By.cssSelector("[data-testid=bulk-progress-bar]")).getAttribute("value"))).isEqualTo("0");
            Chromium.screenshot(driver, "bulk-02-running");
            editing.rollback();
        }

        // The poll finds it done and the page comes back with the outcome over the list as it is now.
        waitFor(d -> "done".equals(Chromium.read(d, page -> page.findElement(By.cssSelector("[data-testid=bulk-job]")).getAttribute("data-status"))));
        assertThat(driver.findElement(By.cssSelector("[data-testid=bulk-progress-bar]")).getAttribute("value")).isEqualTo("100");
        assertThat(driver.findElement(By.cssSelector("[data-testid=bulk-outcome]")).getText()).isEqualTo("Tagged 3,000 contacts with \"Spring fair\".");
        assertThat(driver.findElements(By.cssSelector("[data-testid=contact-row]"))).hasSize(50)
                .allSatisfy(row -> assertThat(row.getText()).contains("Spring fair"));
        Chromium.screenshot(driver, "bulk-03-done");
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t and tag = 'Spring fair'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(LEADS);

        // Closing the outcome leaves the list with its filter.
        driver.findElement(By.cssSelector("[data-testid=bulk-dismiss]")).sendKeys(Keys.ENTER);
        waitFor(d -> Chromium.now(d, By.cssSelector("[data-testid=bulk-job]")).isEmpty());
        assertThat(driver.getCurrentUrl()).endsWith("/contacts?tag=lead");
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
