package hexa.support;

import java.util.List;
import java.util.Map;

/** What came back: status, body and headers. */
public record Response(int status, String text, Map<String, List<String>> headers) {

    public String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> String.join(", ", e.getValue()))
                .findFirst().orElse(null);
    }

    public List<String> headerValues(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst().orElse(List.of());
    }

    public String location() {
        String location = header("Location");
        if (location == null) {
            return null;
        }
        return location.replaceFirst("^https?://[^/]+", "");
    }

    @Override
    public String toString() {
        return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
}
