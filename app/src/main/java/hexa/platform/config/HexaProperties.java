package hexa.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting an operator can change, bound from {@code HEXA_*} environment variables
 * (for example {@code HEXA_DATABASE_URL} binds to {@code databaseUrl}). README.md lists them.
 */
@ConfigurationProperties("hexa")
public record HexaProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("data") Path dataDir,
        String databaseUrl,
        String masterKey,
        @DefaultValue List<String> retiredMasterKeys,
        String publicUrl,
        @DefaultValue("false") boolean demo,
        @DefaultValue("2h") Duration sessionIdleTimeout,
        @DefaultValue SignIn signIn,
        @DefaultValue Smtp smtp) {

    public record SignIn(
            @DefaultValue("3") int failuresBeforeSlowdown,
            @DefaultValue("10") int failuresBeforeAccountLock,
            @DefaultValue("50") int failuresBeforeAddressLock,
            @DefaultValue("15m") Duration failureWindow,
            @DefaultValue("15m") Duration lockDuration,
            @DefaultValue("30s") Duration maxSlowdown) {
    }

    public record Smtp(String host, @DefaultValue("587") int port, String username, String password,
                       @DefaultValue("Hexa CRM <no-reply@localhost>") String from,
                       @DefaultValue("true") boolean starttls) {
        public boolean configured() {
            return host != null && !host.isBlank();
        }
    }

    /** The address people open, used in links we hand out (invitations, webhook callback URLs). */
    public String baseUrl() {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        return "http://localhost:" + port;
    }
}
