package hexa.whatsapp;

import hexa.sandbox.SandboxConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Serves the WhatsApp Cloud API sandbox inside the app: the phone simulator at {@code /sandbox}, its
 * Graph API under {@code /sandbox/graph}, its control API under {@code /sandbox/api}. It lets people
 * try Hexa CRM with no Meta account; operators of a real installation switch it off with
 * {@code HEXA_SANDBOX_ENABLED=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "hexa.sandbox.enabled", matchIfMissing = true)
@Import(SandboxConfiguration.class)
class SandboxMount {
}
