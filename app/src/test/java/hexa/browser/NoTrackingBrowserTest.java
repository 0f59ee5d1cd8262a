package hexa.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.tenant.TenantContext;
import hexa.privacy.PublicPages;
import hexa.support.BrowserTest;
import hexa.support.Chromium;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * No tracking: an Owner loads every page of the app (every GET page mapping without a path variable, listed from the
 * controllers themselves, so a new page is checked without anyone adding it here) and the public privacy page; the
 * browser then holds only the session cookie (and a CSRF cookie, if the app used one), and no page asked any other
 * origin for anything (scripts, styles, fonts, images, fetches: the browser's Resource Timing entries of each page).
 */
class NoTrackingBrowserTest extends BrowserTest {

    /** The session cookie and the CSRF cookie the app could set; anything else would be tracking or a leftover. */
    private static final Set<String> ALLOWED_COOKIES = Set.of("HEXA_SESSION", "XSRF-TOKEN");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    PublicPages publicPages;

    @Test
    void every_page_sets_only_the_session_and_csrf_cookies_and_asks_no_other_origin() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("No tracking " + java.util.UUID.randomUUID().toString().substring(0, 6));
        shop.customer().writes("447700900321", "Hello");
        String publicPage;
        try (TenantContext.Scope ignored = fixtures.actAsOwner(shop.workspace())) {
            publicPage = publicPages.settings().path();
        }
        List<String> pages = pages();
        assertThat(pages).as("the pages found from the controllers").contains("/inbox", "/contacts", "/settings/privacy/requests", "/settings/privacy/public-page")
                .hasSizeGreaterThan(20);

        // The public page first, before anyone signed in, as a customer sees it.
        Map<String, List<String>> elsewhere = new TreeMap<>();
        visit(publicPage, elsewhere);
        Chromium.signIn(driver, baseUrl(), shop.owner().email());
        for (String page : pages) {
            visit(page, elsewhere);
        }
        visit(publicPage, elsewhere);

        assertThat(elsewhere).as("requests to other origins, by page").isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cookies = (List<Map<String, Object>>) ((ChromeDriver) driver).executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies");
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> cookie : cookies) {
            names.add(String.valueOf(cookie.get("name")));
            assertThat(String.valueOf(cookie.get("domain"))).as("cookie " + cookie.get("name")).isEqualTo("localhost");
        }
        assertThat(names).contains("HEXA_SESSION");
        assertThat(ALLOWED_COOKIES).as("every cookie the browser holds").containsAll(names);
    }

    private void visit(String page, Map<String, List<String>> elsewhere) {
        driver.get(baseUrl() + page);
        // What a page asks for after it loaded (htmx, live updates) shows in the same list: give it a moment.
        sleep(300);
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
                        + ".concat(performance.getEntriesByType('navigation').map(function (e) { return e.name; }));");
        List<String> foreign = new ArrayList<>();
        for (String url : loaded) {
            if (!url.startsWith(baseUrl() + "/") && !url.startsWith("data:") && !url.startsWith("blob:")) {
                foreign.add(url);
            }
        }
        if (!foreign.isEmpty()) {
            elsewhere.put(page, foreign);
        }
    }

    /** Every page an Owner can open by its address: GET mappings of page controllers, without path variables. */
    private List<String> pages() {
        Set<String> pages = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, org.springframework.web.method.HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Method method = entry.getValue().getMethod();
            Set<RequestMethod> verbs = info.getMethodsCondition().getMethods();
            boolean get = verbs.isEmpty() || verbs.contains(RequestMethod.GET);
            boolean page = method.getReturnType() == String.class
                    && !AnnotatedElementUtils.hasAnnotation(method, ResponseBody.class)
                    && !AnnotatedElementUtils.hasAnnotation(entry.getValue().getBeanType(), ResponseBody.class);
            if (!get || !page || !entry.getValue().getBeanType().getName().startsWith("hexa.")) {
                continue;
            }
            for (String path : info.getPatternValues()) {
                boolean leaves = path.equals("/sign-out") || path.startsWith("/sign-in") || path.equals("/error") || path.startsWith("/api/")
                        || path.startsWith("/sandbox/graph") || path.startsWith("/sandbox/api") || path.startsWith("/webhooks");
                if (!path.contains("{") && !path.contains("*") && !leaves) {
                    pages.add(path);
                }
            }
        }
        return new ArrayList<>(pages);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
