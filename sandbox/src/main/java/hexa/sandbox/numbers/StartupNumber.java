package hexa.sandbox.numbers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import hexa.sandbox.SandboxProperties;
import hexa.sandbox.access.ControlToken;

/**
 * Registers the number configured under {@code hexa.sandbox.number.*} once the server is ready (so
 * the handshake can reach a callback in the same process), and prints what a client must use.
 */
@Component
public class StartupNumber {

    private static final Logger log = LoggerFactory.getLogger(StartupNumber.class);

    private final SandboxNumbers numbers;
    private final SandboxProperties properties;
    private final Environment environment;
    private final ControlToken controlToken;

    public StartupNumber(SandboxNumbers numbers, SandboxProperties properties, Environment environment, ControlToken controlToken) {
        this.controlToken = controlToken;
        this.numbers = numbers;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        SandboxProperties.StartupNumber wanted = properties.getNumber();
        boolean always = environment.getProperty("hexa.sandbox.register-startup-number", Boolean.class, false);
        if (!always && wanted.getPhoneNumberId().isBlank() && wanted.getCallbackUrl().isBlank()) {
            return;
        }
        BusinessNumber number = numbers.register(wanted.getPhoneNumberId(), wanted.getWabaId(), wanted.getDisplayPhoneNumber(),
                wanted.getAccessToken(), wanted.getAppSecret(), wanted.getCallbackUrl(), wanted.getVerifyToken(),
                wanted.getMessagesPerSecond());
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String host = environment.getProperty("server.address", "127.0.0.1");
        String banner = String.format("%nWhatsApp Cloud API sandbox ready%n"
                + "  Graph API        http://%s:%s%s/v25.0/%s/messages%n"
                + "  phone number id  %s%n  WABA id          %s%n  access token     %s%n"
                + "  display number   %s%n  callback URL     %s%n  control API      http://%s:%s/sandbox/api (Authorization: Bearer %s)%n"
                + "  phone simulator  http://%s:%s/sandbox#token=%s%n",
                host, port, properties.getGraphPath(), number.phoneNumberId(), number.phoneNumberId(), number.wabaId(),
                number.accessToken(), number.displayPhoneNumber(),
                number.webhookTarget().isConfigured() ? number.webhookTarget().callbackUrl() : "(none: webhooks are dropped)",
                host, port, controlToken.value(), host, port, controlToken.value());
        if (environment.getProperty("hexa.sandbox.standalone", Boolean.class, false)) {
            System.out.println(banner);
        } else {
            log.info(banner);
        }
    }
}
