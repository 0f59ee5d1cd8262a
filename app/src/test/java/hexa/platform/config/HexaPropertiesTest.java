package hexa.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The HEXA_* environment variables that README.md documents reach the settings they name. */
class HexaPropertiesTest {

    @Test
    void readme_environment_variables_bind() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                "HEXA_DATA_DIR", "/srv/hexa",
                "HEXA_DATABASE_URL", "postgres://u:p@db/hexa",
                "HEXA_MASTER_KEY", "a2V5",
                "HEXA_RETIRED_MASTER_KEYS", "b2xk,b2xkZXI=",
                "HEXA_PUBLIC_URL", "https://crm.example.com/",
                "HEXA_SESSION_IDLE_TIMEOUT", "45m",
                "HEXA_SIGN_IN_FAILURES_BEFORE_SLOWDOWN", "5",
                "HEXA_SIGN_IN_FAILURES_BEFORE_ACCOUNT_LOCK", "20",
                "HEXA_SIGN_IN_LOCK_DURATION", "1h",
                "HEXA_SMTP_HOST", "smtp.example.com")));
        ConfigurationPropertySources.attach(environment);

        HexaProperties properties = Binder.get(environment).bind("hexa", HexaProperties.class).get();

        assertThat(properties.dataDir()).hasToString("/srv/hexa");
        assertThat(properties.databaseUrl()).isEqualTo("postgres://u:p@db/hexa");
        assertThat(properties.masterKey()).isEqualTo("a2V5");
        assertThat(properties.retiredMasterKeys()).containsExactly("b2xk", "b2xkZXI=");
        assertThat(properties.baseUrl()).isEqualTo("https://crm.example.com");
        assertThat(properties.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(properties.signIn().failuresBeforeSlowdown()).isEqualTo(5);
        assertThat(properties.signIn().failuresBeforeAccountLock()).isEqualTo(20);
        assertThat(properties.signIn().lockDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.signIn().failuresBeforeAddressLock()).as("default").isEqualTo(50);
        assertThat(properties.smtp().configured()).isTrue();
        assertThat(properties.port()).as("default").isEqualTo(8080);
    }
}
