package hexa;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Hexa CRM server. The WhatsApp sandbox (module {@code sandbox/}, package {@code hexa.sandbox})
 * is not scanned: it is mounted on purpose, and only when enabled (see {@code hexa.whatsapp.SandboxMount}).
 * Each feature package is an application module; {@code platform} is the shared kernel every module may use.
 */
@Modulithic(systemName = "Hexa CRM", sharedModules = "platform")
@SpringBootConfiguration
// The authorization server is on the tests' class path only, for the stand-in OpenID provider; the CRM is not one.
@EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class, excludeName = {
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"})
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "hexa\\.sandbox\\..*")})
@ConfigurationPropertiesScan(basePackages = {"hexa.platform", "hexa.identity", "hexa.audit"})
@EnableScheduling
@EnableAsync
public class HexaApplication {

    public static void main(String[] args) {
        SpringApplication.run(HexaApplication.class, args);
    }
}
