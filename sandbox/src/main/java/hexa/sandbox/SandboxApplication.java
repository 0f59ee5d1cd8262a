package hexa.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sandbox on its own, the Graph API at the root as graph.facebook.com serves it:
 * {@code --port N --callback URL --app-secret S --verify-token T [--mps R] [--phone-number-id ID]
 * [--access-token TOKEN] [--waba-id ID] [--display-phone-number DIGITS] [--address IP] [--control-token T]}.
 * It listens on 127.0.0.1 unless {@code --address} says otherwise, and its control API needs the control token
 * (given, or made at start and printed).
 */
public final class SandboxApplication {

    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("--port", "server.port"),
            Map.entry("--callback", "hexa.sandbox.number.callback-url"),
            Map.entry("--app-secret", "hexa.sandbox.number.app-secret"),
            Map.entry("--verify-token", "hexa.sandbox.number.verify-token"),
            Map.entry("--mps", "hexa.sandbox.number.messages-per-second"),
            Map.entry("--phone-number-id", "hexa.sandbox.number.phone-number-id"),
            Map.entry("--access-token", "hexa.sandbox.number.access-token"),
            Map.entry("--waba-id", "hexa.sandbox.number.waba-id"),
            Map.entry("--display-phone-number", "hexa.sandbox.number.display-phone-number"),
            Map.entry("--address", "server.address"),
            Map.entry("--control-token", "hexa.sandbox.control-token"));

    private SandboxApplication() {
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(StandaloneSandbox.class);
        application.setDefaultProperties(defaults());
        application.run(springArguments(args));
    }

    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("hexa.sandbox.standalone", "true");
        defaults.put("hexa.sandbox.register-startup-number", "true");
        defaults.put("server.port", "8090");
        defaults.put("server.address", "127.0.0.1");
        defaults.put("hexa.sandbox.open-simulator-page", "true");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("spring.servlet.multipart.max-file-size", "100MB");
        defaults.put("spring.servlet.multipart.max-request-size", "110MB");
        defaults.put("server.error.include-stacktrace", "never");
        defaults.put("logging.level.root", "warn");
        defaults.put("logging.level.hexa.sandbox", "info");
        return defaults;
    }

    /** Turns the launcher's "--name value" options into Spring's "--property=value" arguments. */
    static String[] springArguments(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String property = OPTIONS.get(name);
            if (property == null) {
                if ("--help".equals(arg) || "-h".equals(arg)) {
                    System.out.println("Usage: hexa sandbox --port N --callback URL --app-secret S --verify-token T"
                            + " [--mps R] [--phone-number-id ID] [--access-token TOKEN] [--waba-id ID]"
                            + " [--address IP (default 127.0.0.1)] [--control-token T (default: made at start and printed)]");
                    System.exit(0);
                }
                out.add(arg);
                continue;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            out.add("--" + property + "=" + value);
        }
        return out.toArray(new String[0]);
    }
}
