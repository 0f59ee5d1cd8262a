package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.Chromium;
import hexa.support.BrowserTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Importing contacts as a supervisor does it, in real Chromium: upload a CSV, map the column the
 * guess could not place, see the preview change, start, watch the progress bar reach 100 %, read the
 * report, and find it all again after a reload.
 */
class ContactImportBrowserTest extends BrowserTest {

    private static final int ROWS = 3_000;

    @Autowired
    JdbcClient jdbc;

    private Path file;

    @BeforeEach
    void writeTheFile() throws IOException {
        StringBuilder csv = new StringBuilder("Name,Handynummer,Email,Tags\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("Customer ").append(i).append(",+91 98").append(String.format("%08d", 10_000_000 + i)).append(",c").append(i)
                    .append("@example.com,wholesale\n");
        }
        csv.append("Broken,12,broken@example.com,\n");
        csv.append("Twice,+91 98").append(String.format("%08d", 10_000_000)).append(",,\n");
        file = Files.createTempFile("customers-", ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    @AfterEach
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Test
    void upload_map_start_and_watch_the_import_finish() {
        var workspace = fixtures.workspace("Browser Import Co");
        Fixtures.Person supervisor = fixtures.member(workspace, Role.SUPERVISOR);
        Chromium.signIn(driver, baseUrl(), supervisor.email());
        waitFor(ExpectedConditions.urlContains("/inbox"));

        driver.get(baseUrl() + "/contacts/import");
        driver.findElement(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.cssSelector("[data-testid=upload]")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=mapping-form]")));
        Chromium.screenshot(driver, "import-01-mapping-guessed");

        // "Handynummer" is nobody's guess: the preview says no column holds the number.
        assertThat(new Select(driver.findElement(By.id("column1"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("ignore");
        assertThat(new Select(driver.findElement(By.id("column0"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("name");
        assertThat(driver.findElement(By.cssSelector("[data-testid=preview]")).getText()).contains("No column is mapped to the WhatsApp number");

        new Select(driver.findElement(By.id("column1"))).selectByValue("phone");
        waitFor(d -> d.findElements(By.cssSelector("[data-testid=preview-row]")).size() == 10
                && d.findElement(By.cssSelector("[data-testid=preview]")).getText().contains("+919810000000"));
        assertThat(driver.findElement(By.cssSelector("[data-testid=preview]")).getText()).contains("Customer 0").contains("New contact")
                .contains("c0@example.com").contains("wholesale");
        driver.findElement(By.id("import-tags")).sendKeys("spring fair");
        Chromium.screenshot(driver, "import-02-mapping-chosen");

        var start = driver.findElement(By.cssSelector("[data-testid=start-import]"));
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", start);
        start.click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=import-progress]")));
        List<Integer> seen = new ArrayList<>();
        waitFor(d -> {
            String value = d.findElement(By.cssSelector("[data-testid=progress-bar]")).getAttribute("value");
            int percent = (int) Double.parseDouble(value);
            if (seen.isEmpty() || seen.get(seen.size() - 1) != percent) {
                seen.add(percent);
            }
            return percent == 100 && "done".equals(d.findElement(By.cssSelector("[data-testid=import-progress]")).getAttribute("data-status"));
        });
        assertThat(seen).as("the bar only moves forward").isSorted();
        Chromium.screenshot(driver, "import-03-done");

        assertThat(driver.findElement(By.cssSelector("[data-testid=count-created]")).getText()).isEqualTo("3000");
        assertThat(driver.findElement(By.cssSelector("[data-testid=count-merged]")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.cssSelector("[data-testid=count-rejected]")).getText()).isEqualTo("1");
        String report = driver.findElement(By.cssSelector("[data-testid=import-report]")).getText();
        assertThat(report).contains("3002").contains("too short").contains("3003").contains("Same number as row 2");
        assertThat(driver.findElement(By.cssSelector("[data-testid=report-download]")).getAttribute("href")).endsWith("/report.csv");

        driver.navigate().refresh();
        assertThat(driver.findElement(By.cssSelector("[data-testid=progress-bar]")).getAttribute("value")).isEqualTo("100");
        assertThat(driver.findElement(By.cssSelector("[data-testid=import-report]")).getText()).contains("too short");
        assertThat(jdbc.sql("select count(*) from contact_tags where tenant_id = :t and tag = 'spring fair'").param("t", workspace.id())
                .query(Integer.class).single()).isEqualTo(ROWS);

        driver.get(baseUrl() + "/contacts/import");
        assertThat(driver.findElement(By.cssSelector("[data-testid=import-row]")).getText()).contains(file.getFileName().toString()).contains("Done");
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return Chromium.waitFor(driver, condition);
    }
}
