package hexa.privacy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;

/**
 * The business's privacy text as the public page shows it: plain text with a little Markdown (a line starting with
 * {@code #} or {@code ##} is a heading, {@code - } a list item, {@code **bold**}, blank lines between paragraphs) and
 * placeholders in braces ({@code {messageDays}}) filled in. Everything the business wrote is escaped first, so no HTML
 * of theirs (or of anyone who got into their settings) ever reaches a visitor; only the tags made here do.
 */
final class PrivacyText {

    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    private PrivacyText() {
    }

    /** Safe HTML of the text, with the placeholders known in {@code values} filled (others stay as written). */
    static String html(String text, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        boolean inList = false;
        StringBuilder paragraph = new StringBuilder();
        for (String raw : (text == null ? "" : text).replace("\r\n", "\n").split("\n", -1)) {
            String line = raw.strip();
            boolean item = line.startsWith("- ") || line.startsWith("* ");
            boolean heading = line.startsWith("#");
            if (line.isEmpty() || item || heading) {
                flush(out, paragraph);
            }
            if (inList && !item) {
                out.append("</ul>\n");
                inList = false;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (heading) {
                int level = line.startsWith("##") ? 3 : 2;
                out.append("<h").append(level).append(" class=\"h").append(level + 2).append(" mt-4\">")
                        .append(inline(line.replaceFirst("^#+\\s*", ""), values)).append("</h").append(level).append(">\n");
            } else if (item) {
                if (!inList) {
                    out.append("<ul>\n");
                    inList = true;
                }
                out.append("<li>").append(inline(line.substring(2).strip(), values)).append("</li>\n");
            } else {
                if (!paragraph.isEmpty()) {
                    paragraph.append("<br>\n");
                }
                paragraph.append(inline(line, values));
            }
        }
        flush(out, paragraph);
        if (inList) {
            out.append("</ul>\n");
        }
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder paragraph) {
        if (!paragraph.isEmpty()) {
            out.append("<p>").append(paragraph).append("</p>\n");
            paragraph.setLength(0);
        }
    }

    private static String inline(String line, Map<String, String> values) {
        Matcher placeholders = PLACEHOLDER.matcher(line);
        StringBuilder filled = new StringBuilder();
        while (placeholders.find()) {
            String value = values.get(placeholders.group(1));
            placeholders.appendReplacement(filled, Matcher.quoteReplacement(value != null ? value : placeholders.group()));
        }
        placeholders.appendTail(filled);
        return BOLD.matcher(escape(filled.toString())).replaceAll("<strong>$1</strong>");
    }

    static String escape(String text) {
        return HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
