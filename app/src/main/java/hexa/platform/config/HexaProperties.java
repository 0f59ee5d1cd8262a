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
        @DefaultValue("3") int signInFailuresBeforeSlowdown,
        @DefaultValue("10") int signInFailuresBeforeAccountLock,
        @DefaultValue("50") int signInFailuresBeforeAddressLock,
        @DefaultValue("15m") Duration signInFailureWindow,
        @DefaultValue("15m") Duration signInLockDuration,
        @DefaultValue("30s") Duration signInMaxSlowdown,
        @DefaultValue Smtp smtp) {

    /**
     * The sign-in throttle's rules. They are flat settings ({@code HEXA_SIGN_IN_LOCK_DURATION} and so
     * on) because environment variables cannot name a nested group whose name has a dash.
     */
    public SignIn signIn() {
        return new SignIn(signInFailuresBeforeSlowdown, signInFailuresBeforeAccountLock, signInFailuresBeforeAddressLock,
                signInFailureWindow, signInLockDuration, signInMaxSlowdown);
    }

    public record SignIn(int failuresBeforeSlowdown, int failuresBeforeAccountLock, int failuresBeforeAddressLock,
                         Duration failureWindow, Duration lockDuration, Duration maxSlowdown) {
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
