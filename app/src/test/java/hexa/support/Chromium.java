package hexa.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Selenium. Never downloads a browser. Without Chromium the
 * browser tests are skipped on a developer's machine, but under CI=true they must run.
 */
public final class Chromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    public static WebDriver start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Browser tests must run under CI, but /usr/bin/chromium or /usr/bin/chromedriver is missing (.ci/run installs them)");
            }
            Assumptions.abort("Chromium is not installed (apt-get install chromium chromium-driver); browser tests skipped outside CI");
        }
        ChromeDriver driver;
        try {
            driver = launch();
        } catch (org.openqa.selenium.SessionNotCreatedException e) {
            // A browser that did not come up in time on a busy machine: one more start, then the failure stands.
            driver = launch();
        }
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    /** One headless Chromium with a profile of its own. */
    private static ChromeDriver launch() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--lang=en-US");
        try {
            options.addArguments("--user-data-dir=" + Files.createTempDirectory("hexa-chromium"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    }

    /** Signs the member in through the sign-in form and waits until the app has taken them past it. */
    public static void signIn(WebDriver driver, String baseUrl, String email) {
        driver.get(baseUrl + "/sign-in");
        driver.findElement(org.openqa.selenium.By.id("email")).sendKeys(email);
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(hexa.identity.Fixtures.PASSWORD, org.openqa.selenium.Keys.ENTER);
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.not(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/sign-in")));
    }

    /**
     * What the page shows now (a text, whether something is displayed, a click done), read again when a live update
     * redrew the element between finding and reading it. Unlike a wait, it answers false and empty values at once.
     */
    public static <T> T read(WebDriver driver, java.util.function.Function<WebDriver, T> what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return what.apply(driver);
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** Saves what the page looks like under target/screenshots for people to look at. */
    public static Path screenshot(WebDriver driver, String name) {
        try {
            Path directory = TestPaths.target().resolve("screenshots");
            Files.createDirectories(directory);
            Path file = directory.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
