package hexa.whatsapp;

import hexa.audit.AuditTrail;
import hexa.platform.web.PublicUrl;
import hexa.sandbox.SandboxConfiguration;
import hexa.sandbox.access.CallbackPolicy;
import hexa.sandbox.access.SandboxCallers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Serves the WhatsApp Cloud API sandbox inside the app: the phone simulator at {@code /sandbox}, its
 * Graph API under {@code /sandbox/graph}, its control API under {@code /sandbox/api}. It lets people
 * try Hexa CRM with no Meta account, so it is off unless asked for: {@code ./hexa run --demo}, or
 * {@code HEXA_SANDBOX_ENABLED=true}. When on, only signed-in members (each seeing their own workspace's
 * sandbox numbers) and the holder of the control token get in.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "hexa.sandbox.enabled")
@Import(SandboxConfiguration.class)
class SandboxMount {

    @Bean
    SandboxCallers sandboxMembers(JdbcClient jdbc, AuditTrail audit) {
        return new SandboxMembers(jdbc, audit);
    }

    @Bean
    CallbackPolicy ownWebhookCallbacks(PublicUrl publicUrl) {
        return new OwnWebhookCallbacks(publicUrl);
    }
}
