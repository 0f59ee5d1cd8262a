package hexa.automation.rules;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.timers.Timers;
import hexa.support.ApiClient;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import static hexa.support.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time-based rules on the durable timers, with a moved clock: "no agent reply" answers a customer nobody answered and
 * leaves alone one an agent did; "no customer reply" follows up on the business's unanswered message. Runs where the
 * application has timers ({@link Timers}).
 */
class TimedRulesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectProvider<Timers> timers;

    private SandboxCustomer customer;
    private ApiClient admin;

    @BeforeEach
    void aShopWithANumber() {
        Assumptions.assumeTrue(timers.getIfAvailable() != null, "durable timers are part of the application");
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Timed " + UUID.randomUUID().toString().substring(0, 6));
        customer = shop.customer();
        admin = api(fixtures.apiToken(shop.workspace(), Role.ADMIN));
    }

    @Test
    void a_customer_nobody_answered_hears_from_the_rule_and_one_an_agent_answered_does_not() {
        rule("""
                {"name": "Nobody answered", "enabled": true, "trigger": {"kind": "NO_AGENT_REPLY", "minutes": 10},
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Sorry for the wait, someone will answer soon."}}]}
                """);
        rule("""
                {"name": "Still there?", "enabled": true, "trigger": {"kind": "NO_CUSTOMER_REPLY", "minutes": 60},
                 "conditions": [{"field": "TAG", "operator": "IS_NOT", "value": "no-follow-up"}],
                 "actions": [{"kind": "REPLY_TEXT", "options": {"text": "Is there anything else we can do?"}}]}
                """);
        customer.writes("919811300001", "Is anyone there?");
        customer.writes("919811300002", "Hello?");
        Response answered = admin.send("POST", "/api/v1/messages", """
                {"to": "919811300002", "type": "text", "text": {"body": "Hi, this is Dana."}}
                """);
        assertThat(answered.status()).as(answered.text()).isLessThan(300);

        clock.advance(Duration.ofMinutes(11));
        until(() -> business("919811300001").contains("Sorry for the wait"), "the rule's answer after ten minutes");
        assertThat(business("919811300002")).doesNotContain("Sorry for the wait");

        clock.advance(Duration.ofMinutes(61));
        until(() -> business("919811300002").contains("Is there anything else we can do?"), "the follow-up an hour after the agent's message");
    }

    private void rule(String json) {
        Response created = admin.send("POST", "/api/v1/automation/rules", json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private String business(String waId) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : customer.chat(waId).get("lines")) {
            if ("business".equals(line.get("from").asString())) {
                lines.append(line.get("content").toString()).append('\n');
            }
        }
        return lines.toString();
    }
}
