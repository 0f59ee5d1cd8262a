package hexa.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Selenium. Never downloads a browser. Without Chromium the
 * browser tests are skipped on a developer's machine, but under CI=true they must run.
 *
 * <p>Starting Chromium takes a second or more on a busy machine, so a browser a test is done with is wiped (cookies,
 * cache, its page, its window's size) and handed to the next test that asks for one: {@link #start} and
 * {@link #release} instead of {@code new ChromeDriver()} and {@code quit()}. The browsers are quit when the run ends.
 */
public final class Chromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a find waits for its element to appear (what a page draws after it has loaded, through htmx). */
    private static final Duration FIND_PATIENCE = Duration.ofSeconds(5);
    private static final Dimension WINDOW = new Dimension(1280, 900);
    private static final Deque<ChromeDriver> IDLE = new ArrayDeque<>();
    private static final List<ChromeDriver> ALL = new ArrayList<>();
    /** Each browser's profile, a temporary directory removed when the run ends. */
    private static final List<Path> PROFILES = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (IDLE) {
                ALL.forEach(Chromium::quietlyQuit);
                PROFILES.forEach(Chromium::quietlyDelete);
            }
        }, "chromium-quit"));
    }

    private static void quietlyDelete(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // left for the system's cleaning of temporary files
        }
    }

    private Chromium() {
    }

    /** A browser with nothing of an earlier test: no cookies, nothing cached, a blank page in a 1280 x 900 window. */
    public static WebDriver start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Browser tests must run under CI, but /usr/bin/chromium or /usr/bin/chromedriver is missing (.ci/run installs them)");
            }
            Assumptions.abort("Chromium is not installed (apt-get install chromium chromium-driver); browser tests skipped outside CI");
        }
        synchronized (IDLE) {
            ChromeDriver idle = IDLE.poll();
            if (idle != null) {
                return idle;
            }
        }
        ChromeDriver driver;
        try {
            driver = launch();
        } catch (org.openqa.selenium.SessionNotCreatedException e) {
            // A browser that did not come up in time on a busy machine: one more start, then the failure stands.
            driver = launch();
        }
        driver.manage().timeouts().implicitlyWait(FIND_PATIENCE);
        synchronized (IDLE) {
            ALL.add(driver);
        }
        return driver;
    }

    /**
     * A test is done with the browser: it leaves its page (which ends the page's live stream and polls), forgets every
     * cookie and everything cached, closes other windows and takes its size back, and waits for the next test. A browser
     * that does not take that well is quit instead.
     */
    public static void release(WebDriver driver) {
        if (!(driver instanceof ChromeDriver chrome)) {
            return;
        }
        try {
            String first = chrome.getWindowHandles().iterator().next();
            for (String window : chrome.getWindowHandles()) {
                if (!window.equals(first)) {
                    chrome.switchTo().window(window).close();
                }
            }
            chrome.switchTo().window(first);
            chrome.get("about:blank");
            chrome.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            chrome.executeCdpCommand("Network.clearBrowserCache", Map.of());
            chrome.manage().window().setSize(WINDOW);
            chrome.manage().timeouts().implicitlyWait(FIND_PATIENCE);
        } catch (RuntimeException e) {
            synchronized (IDLE) {
                ALL.remove(chrome);
            }
            quietlyQuit(chrome);
            return;
        }
        synchronized (IDLE) {
            IDLE.push(chrome);
        }
    }

    private static void quietlyQuit(ChromeDriver driver) {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /** One headless Chromium with a profile of its own. */
    private static ChromeDriver launch() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + WINDOW.getWidth() + "," + WINDOW.getHeight(), "--lang=en-US");
        try {
            Path profile = Files.createTempDirectory("hexa-chromium");
            synchronized (IDLE) {
                PROFILES.add(profile);
            }
            options.addArguments("--user-data-dir=" + profile);
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
        waitFor(driver, org.openqa.selenium.support.ui.ExpectedConditions.not(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/sign-in")));
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

    /**
     * The browser tests' wait, on {@link Eventually}: until {@code condition} answers something other than null or false
     * (a Selenium {@code ExpectedCondition} or any function of the page). An element the page replaced or has not drawn
     * yet while it was being read counts as not yet. On giving up, a screenshot shows what the page showed.
     */
    public static <T> T waitFor(WebDriver driver, java.util.function.Function<? super WebDriver, T> condition) {
        try {
            return Eventually.await(() -> {
                try {
                    return condition.apply(driver);
                } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                    return null;
                }
            }, value -> value != null && !Boolean.FALSE.equals(value), "the page: " + condition);
        } catch (AssertionError e) {
            screenshot(driver, "timeout-" + System.currentTimeMillis());
            throw e;
        }
    }

    /**
     * The elements there now, without waiting for one to appear: for a page already known to be drawn, to show that
     * something is not on it (a find waits up to 5 s for an element that may still come).
     */
    public static java.util.List<org.openqa.selenium.WebElement> now(org.openqa.selenium.SearchContext where, WebDriver driver,
                                                                        org.openqa.selenium.By what) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return where.findElements(what);
        } finally {
            driver.manage().timeouts().implicitlyWait(FIND_PATIENCE);
        }
    }

    /** The same, in the whole page. */
    public static java.util.List<org.openqa.selenium.WebElement> now(WebDriver driver, org.openqa.selenium.By what) {
        return now(driver, driver, what);
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
