package hexa.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message bundles are one namespace: a key written twice silently shows the wrong text somewhere. */
class MessageBundlesTest {

    @Test
    void no_key_is_defined_twice_across_the_bundles() throws IOException {
        Map<String, String> seen = new HashMap<>();
        List<String> twice = new ArrayList<>();
        try (var files = Files.list(Path.of("src/main/resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("messages(-[a-z]+)?\\.properties")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int equals = line.indexOf('=');
                    if (line.isBlank() || line.startsWith("#") || equals < 0) {
                        continue;
                    }
                    String key = line.substring(0, equals).strip();
                    String previous = seen.put(key, file.getFileName().toString());
                    if (previous != null) {
                        twice.add(key + " in " + previous + " and " + file.getFileName());
                    }
                }
            }
        }
        assertThat(seen).isNotEmpty();
        assertThat(twice).isEmpty();
    }
}
