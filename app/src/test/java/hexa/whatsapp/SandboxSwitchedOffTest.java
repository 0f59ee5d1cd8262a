package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.ApiClient;
import hexa.support.FreshInstallationTest;
import hexa.support.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** A plain {@code ./hexa run} (no --demo, no HEXA_SANDBOX_ENABLED): the WhatsApp sandbox is not there at all. */
class SandboxSwitchedOffTest extends FreshInstallationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void every_sandbox_path_is_not_found_on_a_default_installation() {
        assertThat(context.getBeanNamesForType(hexa.sandbox.numbers.SandboxNumbers.class)).isEmpty();
        for (String path : new String[] {"/sandbox", "/sandbox/static/simulator.js", "/sandbox/api/numbers", "/sandbox/api/stats",
                "/sandbox/api/switches", "/sandbox/graph/v25.0/123/phone_numbers"}) {
            Response anonymous = new ApiClient(baseUrl(), null).get(path);
            assertThat(anonymous.status()).as(path).isEqualTo(404);
        }
        Response post = new ApiClient(baseUrl(), null).send("POST", "/sandbox/api/customers/919800070041/messages",
                "{\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}");
        assertThat(post.status()).isIn(401, 404);
    }
}
