package hexa.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The audit log shows every action in words: an action recorded by the code without a label in the message bundles
 * would show its bare code ("contacts.bulk_owner_set") to the Owner reading the log.
 */
class AuditLabelsTest {

    /** An action written where it is recorded: {@code AuditEntry.of("…")} or a helper's {@code entry("…", …)}. */
    private static final Pattern RECORDED = Pattern.compile("(?:AuditEntry\\.of|\\bentry)\\(\"([a-z_]+\\.[a-z_.]+)\"");

    /** An action a method answers for the caller to record (the bulk jobs' ends). */
    private static final Pattern ANSWERED = Pattern.compile("return \"([a-z_]+\\.[a-z_]+)\";");

    /** {@code AuditEntry.of(…)} with anything but one whole literal: an action built at run time. */
    private static final Pattern BUILT = Pattern.compile("AuditEntry\\.of\\((?!\"[^\"]*\"\\))");

    /** The actions each place that builds its action can record. A new such place must be added here. */
    private static final Map<String, List<String>> BUILT_ACTIONS = Map.of(
            "contacts/Blocking.java", List.of("contact.blocked", "contact.unblocked"),
            "contacts/BulkRunner.java", List.of(),
            "whatsapp/SandboxMembers.java", List.of("sandbox.number_registered", "sandbox.switches_changed", "sandbox.clock_advanced",
                    "sandbox.load_started"));

    @Test
    void every_action_the_code_records_has_a_label_in_the_audit_log() throws IOException {
        Set<String> labelled = new TreeSet<>();
        // The English bundles: messages.properties and the features' own (messages-two-factor.properties, ...).
        List<Path> bundles;
        try (var found = Files.list(Path.of("src/main/resources"))) {
            bundles = found.filter(f -> f.getFileName().toString().matches("messages(-[a-z-]+)?\\.properties")).sorted().toList();
        }
        assertThat(bundles).contains(Path.of("src/main/resources/messages.properties"));
        for (Path bundle : bundles) {
            for (String line : Files.readAllLines(bundle, StandardCharsets.UTF_8)) {
                if (line.startsWith("audit.action.") && line.contains("=")) {
                    labelled.add(line.substring("audit.action.".length(), line.indexOf('=')).strip());
                }
            }
        }
        Map<String, String> recorded = new TreeMap<>();
        List<String> unknownBuilders = new ArrayList<>();
        Path sources = Path.of("src/main/java/hexa");
        try (var files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = Files.readString(file, StandardCharsets.UTF_8);
                if (!code.contains("AuditEntry") && !code.contains("audit.record")) {
                    continue;
                }
                String name = sources.relativize(file).toString().replace('\\', '/');
                for (Pattern pattern : List.of(RECORDED, ANSWERED)) {
                    Matcher found = pattern.matcher(code);
                    while (found.find()) {
                        recorded.put(found.group(1), name);
                    }
                }
                if (BUILT.matcher(code).find()) {
                    if (BUILT_ACTIONS.containsKey(name)) {
                        BUILT_ACTIONS.get(name).forEach(action -> recorded.put(action, name));
                    } else if (!name.equals("audit/AuditEntry.java")) {
                        unknownBuilders.add(name);
                    }
                }
            }
        }
        assertThat(unknownBuilders).as("places that build an action at run time: list what they record in BUILT_ACTIONS").isEmpty();
        assertThat(recorded).as("the scan finds the actions (it reads the sources it should)").containsKeys("invitation.sent",
                "contact.merged", "contacts.bulk_deleted", "contact.blocked");
        List<String> unlabelled = recorded.entrySet().stream().filter(e -> !labelled.contains(e.getKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        assertThat(unlabelled).as("recorded actions without audit.action.<code> in the message bundles").isEmpty();
    }
}
