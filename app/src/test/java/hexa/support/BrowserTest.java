package hexa.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WebDriver;

/** A test that drives the product in real headless Chromium: a browser wiped of everything earlier tests did (see {@link Chromium#release}). */
public abstract class BrowserTest extends HexaIntegrationTest {

    protected WebDriver driver;

    @BeforeEach
    void startBrowser() {
        driver = Chromium.start();
    }

    @AfterEach
    void quitBrowser() {
        if (driver != null) {
            Chromium.release(driver);
        }
    }
}
