package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Meta's rules for templates, one row per rule: what is changed from a good template, and the field and problem it gives. */
class TemplateChecksTest {

    static final TemplateDraft GOOD = new TemplateDraft("order_update", "en_US", "UTILITY", "TEXT", "Order {{1}}", "A-17", "Hi {{1}}, your order {{2}} is ready.",
            Map.of("1", "Asha", "2", "A-17"), "Thanks for shopping", List.of(new TemplateDraft.Button("QUICK_REPLY", "Thanks", "", "", ""),
            new TemplateDraft.Button("URL", "Track", "https://shop.example/t/{{1}}", "https://shop.example/t/A17", "")), false, null);

    static final TemplateDraft.Button QR = new TemplateDraft.Button("QUICK_REPLY", "Yes", "", "", "");
    static final TemplateDraft.Button LINK = new TemplateDraft.Button("URL", "Open", "https://shop.example", "", "");
    static final TemplateDraft.Button PHONE = new TemplateDraft.Button("PHONE_NUMBER", "Call us", "", "", "+15550001234");
    static final TemplateDraft.Button CODE = new TemplateDraft.Button("COPY_CODE", "", "", "SAVE10", "");
    static final TemplateDraft.Button OTP = new TemplateDraft.Button("OTP", "Copy code", "", "", "");

    static Stream<Arguments> rules() {
        return Stream.of(
                row("name missing", d -> with(d, "name", ""), "name", "required"),
                row("name with capitals", d -> with(d, "name", "Order_Update"), "name", "name"),
                row("name with a space", d -> with(d, "name", "order update"), "name", "name"),
                row("name over 512", d -> with(d, "name", "a".repeat(513)), "name", "too-long"),
                row("language", d -> with(d, "language", "english"), "language", "language"),
                row("category", d -> with(d, "category", "NEWS"), "category", "category"),
                row("body missing", d -> with(d, "body", ""), "body", "required"),
                row("body over 1,024", d -> with(d, "body", "Hi {{1}} and {{2}} " + "x".repeat(1020)), "body", "too-long"),
                row("header over 60", d -> with(d, "headerText", "Order {{1}} " + "x".repeat(60)), "headerText", "too-long"),
                row("header with two variables", d -> with(with(d, "headerText", "Order {{1}} for {{2}}"), "examples", Map.of("1", "a", "2", "b")),
                        "headerText", "header-variables"),
                row("media header without example", d -> with(with(d, "headerFormat", "IMAGE"), "headerExample", ""), "headerExample", "header-example"),
                row("footer over 60", d -> with(d, "footer", "x".repeat(61)), "footer", "too-long"),
                row("footer with a variable", d -> with(d, "footer", "Bye {{1}}"), "footer", "footer-variables"),
                row("adjacent variables", d -> with(d, "body", "Hi {{1}}{{2}} there."), "body", "adjacent"),
                row("variable at the start", d -> with(d, "body", "{{1}}, your order {{2}} is ready."), "body", "variable-at-start"),
                row("variable at the end", d -> with(d, "body", "Hi {{1}}, your order is {{2}}"), "body", "variable-at-end"),
                row("a gap in the numbers", d -> with(d, "body", "Hi {{1}}, your order {{3}} is ready."), "body", "variable-order"),
                row("out of order", d -> with(d, "body", "Hi {{2}}, your order {{1}} is ready."), "body", "variable-order"),
                row("named and numbered mixed", d -> with(d, "body", "Hi {{name}}, your order {{2}} is ready."), "body", "mixed-variables"),
                row("a bad name", d -> with(with(with(d, "headerFormat", "NONE"), "body", "Hi {{First}}, ready."), "examples", Map.of("First", "A")),
                        "body", "variable-name"),
                row("an example missing", d -> with(d, "examples", Map.of("1", "Asha")), "example.2", "example-missing"),
                row("a header example missing", d -> with(d, "headerExample", ""), "headerExample", "example-missing"),
                row("eleven buttons", d -> with(d, "buttons", repeat(QR, 11)), "buttons", "too-many-buttons"),
                row("three links", d -> with(d, "buttons", List.of(LINK, LINK, LINK)), "buttons", "too-many-of-type"),
                row("two phone numbers", d -> with(d, "buttons", List.of(PHONE, PHONE)), "buttons", "too-many-of-type"),
                row("two copy codes", d -> with(d, "buttons", List.of(CODE, CODE)), "buttons", "too-many-of-type"),
                row("quick replies split", d -> with(d, "buttons", List.of(QR, LINK, QR)), "buttons", "quick-replies-grouped"),
                row("button text over 25", d -> with(d, "buttons", List.of(new TemplateDraft.Button("QUICK_REPLY", "x".repeat(26), "", "", ""))),
                        "buttons.0.text", "too-long"),
                row("button without text", d -> with(d, "buttons", List.of(new TemplateDraft.Button("URL", "", "https://a.example", "", ""))),
                        "buttons.0.text", "button-text"),
                row("link over 2,000", d -> with(d, "buttons", List.of(new TemplateDraft.Button("URL", "Go", "https://a.example/" + "x".repeat(2000), "", ""))),
                        "buttons.0.url", "too-long"),
                row("link not http", d -> with(d, "buttons", List.of(new TemplateDraft.Button("URL", "Go", "shop.example", "", ""))), "buttons.0.url", "url"),
                row("link variable not at the end", d -> with(d, "buttons", List.of(new TemplateDraft.Button("URL", "Go", "https://a.example/{{1}}/x", "e", ""))),
                        "buttons.0.url", "url-variable"),
                row("link variable without example", d -> with(d, "buttons", List.of(new TemplateDraft.Button("URL", "Go", "https://a.example/{{1}}", "", ""))),
                        "buttons.0.example", "url-example"),
                row("phone without number", d -> with(d, "buttons", List.of(new TemplateDraft.Button("PHONE_NUMBER", "Call", "", "", ""))),
                        "buttons.0.phoneNumber", "required"),
                row("phone not a number", d -> with(d, "buttons", List.of(new TemplateDraft.Button("PHONE_NUMBER", "Call", "", "", "call me"))),
                        "buttons.0.phoneNumber", "phone"),
                row("copy code without code", d -> with(d, "buttons", List.of(new TemplateDraft.Button("COPY_CODE", "", "", "", ""))),
                        "buttons.0.example", "copy-code-example"),
                row("one-time password outside authentication", d -> with(d, "buttons", List.of(OTP)), "buttons.0.type", "otp-not-authentication"),
                row("authentication with a header", d -> with(auth(d), "headerFormat", "TEXT"), "header", "authentication-header"),
                row("authentication without its button", d -> with(auth(d), "buttons", List.of(QR)), "buttons", "authentication-buttons"),
                row("authentication with footer text", d -> with(auth(d), "footer", "Bye"), "footer", "authentication-footer"),
                row("authentication code expiry", d -> with(auth(d), "codeExpirationMinutes", 91), "codeExpirationMinutes", "code-expiration"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void each_rule_names_its_field(String rule, UnaryOperator<TemplateDraft> change, String field, String key) {
        List<TemplateChecks.Problem> problems = TemplateChecks.check(change.apply(GOOD));
        assertThat(problems).as(rule).extracting(TemplateChecks.Problem::field, TemplateChecks.Problem::key)
                .contains(org.assertj.core.groups.Tuple.tuple(field, "templates.check." + key));
    }

    @Test
    void good_templates_pass_and_become_metas_request() {
        assertThat(TemplateChecks.check(GOOD)).isEmpty();
        TemplateDraft named = with(with(with(GOOD, "headerFormat", "IMAGE"), "headerExample", "https://shop.example/sale.jpg"),
                "body", "Hi {{first_name}}, the sale ends {{day}}.");
        named = with(named, "examples", Map.of("first_name", "Asha", "day", "Friday"));
        assertThat(TemplateChecks.check(named)).isEmpty();
        JsonNode meta = named.toMeta();
        assertThat(meta.path("parameter_format").asString()).isEqualTo("NAMED");
        assertThat(meta.path("components").path(0).path("example").path("header_handle").path(0).asString()).isEqualTo("https://shop.example/sale.jpg");
        assertThat(meta.path("components").path(1).path("example").path("body_text_named_params").path(1).path("example").asString()).isEqualTo("Friday");
        assertThat(GOOD.toMeta().path("components").path(1).path("example").path("body_text").path(0).path(1).asString()).isEqualTo("A-17");
        assertThat(GOOD.toMeta().path("components").path(3).path("buttons").path(1).path("example").path(0).asString()).isEqualTo("https://shop.example/t/A17");
        assertThat(TemplateChecks.check(with(auth(GOOD), "codeExpirationMinutes", 10))).isEmpty();
        assertThat(with(auth(GOOD), "codeExpirationMinutes", 10).toMeta().path("components").path(2).path("buttons").path(0).path("otp_type").asString()).isEqualTo("COPY_CODE");
        // All button kinds together, within their counts.
        assertThat(TemplateChecks.check(with(GOOD, "buttons", List.of(QR, QR, LINK, LINK, PHONE, CODE)))).isEmpty();
        // The preview fills the examples in.
        assertThat(GOOD.layout().body()).isEqualTo("Hi Asha, your order A-17 is ready.");
        assertThat(GOOD.layout().header()).isEqualTo("Order A-17");
        assertThat(GOOD.toMeta().path("components").path(0).path("example").path("header_text").path(0).asString()).isEqualTo("A-17");
    }

    @Test
    void every_problem_has_its_words() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages-whatsapp-templates.properties")) {
            messages.load(in);
        }
        rules().forEach(row -> assertThat(messages).containsKey("templates.check." + row.get()[3]));
        // Every text goes through MessageFormat: a literal {{1}} must be quoted.
        messages.forEach((key, value) -> new java.text.MessageFormat(value.toString()));
    }

    private static Arguments row(String rule, UnaryOperator<TemplateDraft> change, String field, String key) {
        return Arguments.of(rule, change, field, key);
    }

    private static TemplateDraft auth(TemplateDraft d) {
        TemplateDraft a = with(with(with(d, "category", "AUTHENTICATION"), "headerFormat", "NONE"), "footer", "");
        return with(a, "buttons", List.of(OTP));
    }

    private static List<TemplateDraft.Button> repeat(TemplateDraft.Button b, int n) {
        List<TemplateDraft.Button> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static TemplateDraft with(TemplateDraft d, String field, Object value) {
        return new TemplateDraft(
                field.equals("name") ? (String) value : d.name(),
                field.equals("language") ? (String) value : d.language(),
                field.equals("category") ? (String) value : d.category(),
                field.equals("headerFormat") ? (String) value : d.headerFormat(),
                field.equals("headerText") ? (String) value : d.headerText(),
                field.equals("headerExample") ? (String) value : d.headerExample(),
                field.equals("body") ? (String) value : d.body(),
                field.equals("examples") ? (Map<String, String>) value : d.examples(),
                field.equals("footer") ? (String) value : d.footer(),
                field.equals("buttons") ? (List<TemplateDraft.Button>) value : d.buttons(),
                d.securityRecommendation(),
                field.equals("codeExpirationMinutes") ? (Integer) value : d.codeExpirationMinutes());
    }
}
