package hexa.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import hexa.sandbox.media.MediaKind;
import hexa.sandbox.media.PlaceholderMedia;
import hexa.support.Eventually;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person chats as a customer in the phone simulator: sends a photo and a text, taps a list row, uses the menu of more
 * kinds, and fills in a WhatsApp Flow's form.
 */
class PhoneSimulatorBrowserTest extends SandboxTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private WebDriver browser;

    @BeforeAll
    void startBrowser() {
        boolean installed = Files.isExecutable(Paths.get(CHROMIUM)) && Files.isExecutable(Paths.get(CHROMEDRIVER));
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(installed, "Chromium is not installed; the browser test runs wherever CI=true");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1100,900");
        browser = new ChromeDriver(options);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aCustomerSendsAPhotoAndATextAndTapsAListRow() throws Exception {
        browser.get(base() + "/sandbox#token=" + controlToken.value());
        new org.openqa.selenium.support.ui.Select(until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#number option[value='" + number.phoneNumberId() + "']"))).findElement(By.xpath("..")))
                .selectByValue(number.phoneNumberId());
        browser.findElement(By.id("new-wa-id")).sendKeys("15550009001");
        browser.findElement(By.id("new-name")).sendKeys("Sheena Nelson");
        browser.findElement(By.id("create-customer")).click();
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat-with"), "15550009001"));

        Path photo = Files.createTempFile("box", ".jpg");
        Files.write(photo, PlaceholderMedia.of(MediaKind.IMAGE).bytes());
        browser.findElement(By.id("text")).sendKeys("Damaged box");
        browser.findElement(By.id("file")).sendKeys(photo.toString());
        until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.bubble.customer[data-type='image'] img")));

        browser.findElement(By.id("text")).sendKeys("Can I get a refund?");
        browser.findElement(By.id("send")).click();
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Can I get a refund?"));

        Reply list = send(fixture("api/send-interactive-list.json")
                .replace("{{Recipient-Phone-Number}}", "15550009001")
                .replace("<BODY_TEXT>", "How should we fix it?")
                .replace("<BUTTON_TEXT>", "Choose")
                .replace("<LIST_SECTION_1_ROW_1_ID>", "refund")
                .replace("<SECTION_1_ROW_1_TITLE>", "Refund"));
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        String listId = list.json().at("/messages/0/id").asString();
        // The chat is redrawn as the list's ticks move on: find the button again if it was replaced before the tap.
        until(d -> {
            WebElement open = d.findElement(By.cssSelector("[data-open-list='" + listId + "']"));
            if (!open.isDisplayed() || !open.isEnabled()) {
                return false;
            }
            open.click();
            return true;
        });
        WebElement row = until(ExpectedConditions.elementToBeClickable(By.cssSelector("#list-sheet [data-row-id='refund']")));
        row.click();
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Refund"));

        JsonNode image = receiver.await("messages", m -> m.path("from").asString().equals("15550009001") && m.path("type").asString().equals("image"), WAIT);
        JsonNode text = receiver.await("messages", m -> m.path("from").asString().equals("15550009001") && m.path("type").asString().equals("text"), WAIT);
        JsonNode reply = receiver.await("messages", m -> m.path("from").asString().equals("15550009001") && m.path("type").asString().equals("interactive"), WAIT);
        assertThat(image.at("/image/caption").asString()).isEqualTo("Damaged box");
        assertThat(image.at("/image/mime_type").asString()).isEqualTo("image/jpeg");
        assertThat(text.at("/text/body").asString()).isEqualTo("Can I get a refund?");
        assertThat(reply.at("/interactive/type").asString()).isEqualTo("list_reply");
        assertThat(reply.at("/interactive/list_reply/id").asString()).isEqualTo("refund");
        assertThat(reply.at("/context/id").asString()).isEqualTo(listId);

        Path screenshots = Paths.get(System.getenv().getOrDefault("HEXA_TEST_TARGET", "target"), "screenshots");
        Files.createDirectories(screenshots);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                screenshots.resolve("phone-simulator.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void fromTheMoreKindsMenuACustomerEditsDeletesAndOrdersAndTheBusinessAppReplies_eachSentWithEnter() {
        browser.get(base() + "/sandbox#token=" + controlToken.value());
        new org.openqa.selenium.support.ui.Select(until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#number option[value='" + number.phoneNumberId() + "']"))).findElement(By.xpath("..")))
                .selectByValue(number.phoneNumberId());
        browser.findElement(By.id("new-wa-id")).sendKeys("15550009002");
        browser.findElement(By.id("new-name")).sendKeys("Kerry Fisher" + org.openqa.selenium.Keys.ENTER);
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat-with"), "15550009002"));
        browser.findElement(By.id("text")).sendKeys("Is it in stokc?" + org.openqa.selenium.Keys.ENTER);
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Is it in stokc?"));

        chooseAndSend("Edits their last message", "Is it in stock?");
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Is it in stock?"));
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Edited"));
        chooseAndSend("Orders from the catalog", "");
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Order: 2 × kurta-blue-m"));
        chooseAndSend("Replies from the phone", "Yes, two left");
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Yes, two left"));
        chooseAndSend("Deletes their last message", "");
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "This message was deleted"));

        JsonNode edit = receiver.await("messages", m -> m.path("from").asString().equals("15550009002") && m.path("type").asString().equals("edit"), WAIT);
        assertThat(edit.at("/edit/message/text/body").asString()).isEqualTo("Is it in stock?");
        JsonNode order = receiver.await("messages", m -> m.path("from").asString().equals("15550009002") && m.path("type").asString().equals("order"), WAIT);
        assertThat(order.at("/order/product_items/0/quantity").asInt()).isEqualTo(2);
        JsonNode echo = receiver.await("message_echoes", m -> m.path("to").asString().equals("15550009002"), WAIT);
        assertThat(echo.at("/text/body").asString()).isEqualTo("Yes, two left");
        JsonNode revoke = receiver.await("messages", m -> m.path("from").asString().equals("15550009002") && m.path("type").asString().equals("revoke"), WAIT);
        assertThat(revoke.at("/revoke/original_message_id").asString()).isEqualTo(order.get("id").asString());
    }

    @Test
    void aCustomerTapsAFlowMessageFillsInItsFormAndSendsTheAnswers() {
        customerSends("15550009003", "{\"type\":\"text\",\"text\":{\"body\":\"My order is late\"}}");
        Reply flow = send("{\"messaging_product\":\"whatsapp\",\"to\":\"15550009003\",\"type\":\"interactive\",\"interactive\":{"
                + "\"type\":\"flow\",\"body\":{\"text\":\"Which order is it?\"},\"action\":{\"name\":\"flow\",\"parameters\":{"
                + "\"flow_message_version\":\"3\",\"flow_name\":\"order_status\",\"flow_cta\":\"Check my order\",\"flow_token\":\"sim-1\"}}}}");
        assertThat(flow.status()).as(flow.text()).isEqualTo(200);
        String flowId = flow.json().at("/messages/0/id").asString();
        browser.get(base() + "/sandbox#token=" + controlToken.value());
        new org.openqa.selenium.support.ui.Select(until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#number option[value='" + number.phoneNumberId() + "']"))).findElement(By.xpath("..")))
                .selectByValue(number.phoneNumberId());
        until(ExpectedConditions.elementToBeClickable(By.cssSelector("#customers [data-customer='15550009003']"))).click();

        until(d -> {
            WebElement open = d.findElement(By.cssSelector("[data-open-flow='" + flowId + "']"));
            if (!open.isDisplayed() || !open.isEnabled()) {
                return false;
            }
            open.click();
            return true;
        });
        until(ExpectedConditions.visibilityOfElementLocated(By.id("flow-field-0"))).sendKeys("A-77");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("flow-field-1"))).selectByValue("change");
        browser.findElement(By.cssSelector("#flow-sheet .flow-submit")).click();
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Flow answered"));

        JsonNode answer = receiver.await("messages", m -> m.path("from").asString().equals("15550009003")
                && m.at("/interactive/type").asString().equals("nfm_reply"), WAIT);
        assertThat(answer.at("/context/id").asString()).isEqualTo(flowId);
        assertThat(answer.at("/interactive/nfm_reply/body").asString()).isEqualTo("Sent");
        assertThat(JSON.readTree(answer.at("/interactive/nfm_reply/response_json").asString()))
                .isEqualTo(JSON.readTree("{\"flow_token\":\"sim-1\",\"order_number\":\"A-77\",\"topic\":\"change\"}"));
    }

    @Test
    void aTemplateShowsItsPhotoBodyFooterAndButtonsAsTextAndItsQuickReplyGoesBackAsAButton() {
        String template = graphPost("/" + number.wabaId() + "/message_templates", token, TemplatesContractTest.SALE_WITH_BUTTONS).json().get("id").asString();
        assertThat(control("POST", "/templates/" + template + "/review", "{\"decision\":\"approve\"}").status()).isEqualTo(200);
        Reply sale = send(TemplatesContractTest.saleWithButtonsTo("15550009004", "Ana <img src=x onerror=alert(1)>"));
        assertThat(sale.status()).as(sale.text()).isEqualTo(200);
        String saleId = sale.json().at("/messages/0/id").asString();
        browser.get(base() + "/sandbox#token=" + controlToken.value());
        new org.openqa.selenium.support.ui.Select(until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#number option[value='" + number.phoneNumberId() + "']"))).findElement(By.xpath("..")))
                .selectByValue(number.phoneNumberId());
        until(ExpectedConditions.elementToBeClickable(By.cssSelector("#customers [data-customer='15550009004']"))).click();

        WebElement bubble = until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.bubble[data-message-id='" + saleId + "']")));
        assertThat(bubble.findElement(By.cssSelector(".text")).getText())
                .as("parameters filled in, shown as text").isEqualTo("Hi Ana <img src=x onerror=alert(1)>, <b>20%</b> off everything until Sunday.");
        assertThat(bubble.findElements(By.cssSelector(".text img, .text b"))).as("no markup from the message").isEmpty();
        assertThat(bubble.findElement(By.cssSelector("img")).getAttribute("src")).isEqualTo("https://shop.example/sale.jpg");
        assertThat(bubble.findElement(By.cssSelector(".footer")).getText()).isEqualTo("Reply STOP to opt out");
        WebElement shop = bubble.findElement(By.cssSelector("a.template-url"));
        assertThat(shop.getText()).contains("Shop now").contains("https://shop.example/sale/w24");
        assertThat(shop.getAttribute("href")).isEqualTo("https://shop.example/sale/w24");
        assertThat(bubble.findElement(By.cssSelector("a.template-phone")).getAttribute("href")).isEqualTo("tel:+15550783881");

        until(d -> {
            WebElement tap = d.findElement(By.cssSelector("li.bubble[data-message-id='" + saleId + "'] [data-quick-reply='stop-sale']"));
            if (!tap.isDisplayed() || !tap.isEnabled()) {
                return false;
            }
            tap.click();
            return true;
        });

        JsonNode button = receiver.await("messages", m -> m.path("from").asString().equals("15550009004") && m.path("type").asString().equals("button"), WAIT);
        assertThat(button.at("/button/payload").asString()).isEqualTo("stop-sale");
        assertThat(button.at("/button/text").asString()).isEqualTo("Not interested");
        assertThat(button.at("/context/id").asString()).isEqualTo(saleId);
        assertThat(shape(button, "")).isEqualTo(shape(JSON.readTree(fixture("inbound-button-template-quick-reply.json"))
                .at("/entry/0/changes/0/value/messages/0"), ""));
        until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Not interested"));
    }

    /** Picks an entry of the "more kinds" menu (a native select), types the text, and sends the form with Enter. */
    private void chooseAndSend(String entry, String text) {
        WebElement menu = browser.findElement(By.id("more-kind"));
        new org.openqa.selenium.support.ui.Select(menu).selectByVisibleText(entry);
        WebElement field = browser.findElement(By.id("more-text"));
        field.clear();
        field.sendKeys(text + org.openqa.selenium.Keys.ENTER);
    }

    /** The page reaches a state: anything but null or false; an element replaced or not yet drawn counts as not yet. */
    private <T> T until(java.util.function.Function<? super WebDriver, T> condition) {
        return Eventually.await(() -> {
            try {
                return condition.apply(browser);
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return null;
            }
        }, value -> value != null && !Boolean.FALSE.equals(value), "the phone simulator: " + condition);
    }
}
