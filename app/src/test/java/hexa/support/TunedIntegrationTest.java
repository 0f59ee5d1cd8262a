package hexa.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The second of the suite's three servers: the same as {@link HexaIntegrationTest}'s, with the settings turned that a
 * few tests need and that would change what every other test sees. Bulk jobs act on 10 contacts a chunk (so a few
 * dozen contacts make several chunks), a name the trigram index cannot read is looked for within 1 ms, demo data is
 * laid down at start, and invitations are mailed through {@link TestMail}. A test that only needs another value of a
 * setting joins this server (adding the setting here if no test of it minds) instead of starting a fourth.
 */
@TestPropertySource(properties = {"hexa.contacts.bulk.chunk=10", "hexa.inbox.search.name-scan-budget=1ms", "hexa.demo=true"})
public abstract class TunedIntegrationTest extends HexaIntegrationTest {

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("hexa.smtp.host", () -> "127.0.0.1");
        registry.add("hexa.smtp.port", () -> TestMail.server().getSmtp().getPort());
        registry.add("hexa.smtp.starttls", () -> "false");
        registry.add("hexa.smtp.from", () -> "Hexa CRM <crm@test.example>");
    }
}
