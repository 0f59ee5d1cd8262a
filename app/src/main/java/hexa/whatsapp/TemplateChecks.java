package hexa.whatsapp;

import hexa.platform.web.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's rules for a new or edited template, checked before anything goes to Meta: lengths, variables (in order, not
 * adjacent, not at the body's start or end, each with an example), buttons (how many of each, quick replies together)
 * and authentication's own shape. Each problem names the form field it belongs to; texts are in
 * {@code messages-whatsapp-templates.properties} under {@code templates.check.}.
 */
public final class TemplateChecks {

    public static final int NAME_MAX = 512;
    public static final int BODY_MAX = 1024;
    public static final int HEADER_MAX = 60;
    public static final int FOOTER_MAX = 60;
    public static final int BUTTON_TEXT_MAX = 25;
    public static final int URL_MAX = 2000;
    public static final int BUTTONS_MAX = 10;
    public static final int URL_BUTTONS_MAX = 2;
    public static final int PHONE_BUTTONS_MAX = 1;
    public static final int COPY_CODE_BUTTONS_MAX = 1;
    public static final int PHONE_MAX = 20;
    public static final int COPY_CODE_MAX = 15;

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    private static final Pattern NAMED = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern POSITIONAL = Pattern.compile("[1-9][0-9]*");
    private static final Pattern ADJACENT = Pattern.compile("}}\\s*\\{\\{");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,}");

    /** A broken rule: the field it is at ("name", "body", "example.1", "buttons.2.text" …), its message key and arguments. */
    public record Problem(String field, String key, List<Object> args) {
        public String message() {
            return Text.t(key, args.toArray());
        }
    }

    private TemplateChecks() {
    }

    public static List<Problem> check(TemplateDraft draft) {
        List<Problem> problems = new ArrayList<>();
        name(draft, problems);
        if (draft.language().isEmpty()) {
            add(problems, "language", "required");
        } else if (!LANGUAGE.matcher(draft.language()).matches()) {
            add(problems, "language", "language");
        }
        if (!TemplateDraft.CATEGORIES.contains(draft.category())) {
            add(problems, "category", "category");
            return problems;
        }
        if (draft.authentication()) {
            authentication(draft, problems);
            return problems;
        }
        header(draft, problems);
        body(draft, problems);
        if (draft.footer().length() > FOOTER_MAX) {
            add(problems, "footer", "too-long", FOOTER_MAX, draft.footer().length());
        }
        if (!TemplateDraft.variables(draft.footer()).isEmpty()) {
            add(problems, "footer", "footer-variables");
        }
        variableFormat(draft, problems);
        examples(draft, problems);
        buttons(draft, problems);
        return problems;
    }

    /** Checks and answers the problems as one error (nothing is sent when there is one). */
    public static void require(TemplateDraft draft) {
        List<Problem> problems = check(draft);
        if (!problems.isEmpty()) {
            throw new TemplateProblems(problems);
        }
    }

    private static void name(TemplateDraft draft, List<Problem> problems) {
        if (draft.name().isEmpty()) {
            add(problems, "name", "required");
        } else if (draft.name().length() > NAME_MAX) {
            add(problems, "name", "too-long", NAME_MAX, draft.name().length());
        } else if (!NAME.matcher(draft.name()).matches()) {
            add(problems, "name", "name");
        }
    }

    private static void authentication(TemplateDraft draft, List<Problem> problems) {
        if (!"NONE".equals(draft.headerFormat())) {
            add(problems, "header", "authentication-header");
        }
        if (!draft.footer().isEmpty()) {
            add(problems, "footer", "authentication-footer");
        }
        Integer minutes = draft.codeExpirationMinutes();
        if (minutes != null && (minutes < 1 || minutes > 90)) {
            add(problems, "codeExpirationMinutes", "code-expiration");
        }
        List<TemplateDraft.Button> buttons = draft.buttons();
        if (buttons.size() != 1 || !"OTP".equals(buttons.get(0).type())) {
            add(problems, "buttons", "authentication-buttons");
        } else if (buttons.get(0).text().length() > BUTTON_TEXT_MAX) {
            add(problems, "buttons.0.text", "too-long", BUTTON_TEXT_MAX, buttons.get(0).text().length());
        }
    }

    private static void header(TemplateDraft draft, List<Problem> problems) {
        String format = draft.headerFormat();
        if (!TemplateDraft.HEADER_FORMATS.contains(format)) {
            add(problems, "header", "header-format");
        } else if ("TEXT".equals(format)) {
            if (draft.headerText().isEmpty()) {
                add(problems, "headerText", "required");
            } else if (draft.headerText().length() > HEADER_MAX) {
                add(problems, "headerText", "too-long", HEADER_MAX, draft.headerText().length());
            }
            if (draft.headerVariables().size() > 1) {
                add(problems, "headerText", "header-variables");
            }
        } else if (!"NONE".equals(format) && draft.headerExample().isEmpty()) {
            add(problems, "headerExample", "header-example");
        }
    }

    private static void body(TemplateDraft draft, List<Problem> problems) {
        String body = draft.body();
        if (body.isEmpty()) {
            add(problems, "body", "required");
            return;
        }
        if (body.length() > BODY_MAX) {
            add(problems, "body", "too-long", BODY_MAX, body.length());
        }
        if (ADJACENT.matcher(body).find()) {
            add(problems, "body", "adjacent");
        }
        if (body.startsWith("{{")) {
            add(problems, "body", "variable-at-start");
        }
        if (body.endsWith("}}")) {
            add(problems, "body", "variable-at-end");
        }
    }

    /** Positional variables are 1, 2, 3 … in order of appearance, without gaps; named ones are lower case; never mixed. */
    private static void variableFormat(TemplateDraft draft, List<Problem> problems) {
        List<String> all = new ArrayList<>(draft.headerVariables());
        all.addAll(draft.bodyVariables());
        boolean positional = all.stream().anyMatch(v -> POSITIONAL.matcher(v).matches());
        boolean named = all.stream().anyMatch(v -> !POSITIONAL.matcher(v).matches());
        if (positional && named) {
            add(problems, "body", "mixed-variables");
            return;
        }
        for (String variable : all) {
            if (named && !NAMED.matcher(variable).matches()) {
                add(problems, "body", "variable-name", variable);
                return;
            }
        }
        if (positional) {
            // The header and the body each number their variables from {{1}}.
            for (String field : List.of("headerText", "body")) {
                List<String> vars = "body".equals(field) ? draft.bodyVariables() : draft.headerVariables();
                for (int i = 0; i < vars.size(); i++) {
                    if (!vars.get(i).equals(Integer.toString(i + 1))) {
                        add(problems, field, "variable-order", "{{" + (i + 1) + "}}", "{{" + vars.get(i) + "}}");
                        break;
                    }
                }
            }
        }
    }

    private static void examples(TemplateDraft draft, List<Problem> problems) {
        if (!draft.headerVariables().isEmpty() && draft.headerExample().isEmpty()) {
            add(problems, "headerExample", "example-missing", "{{" + draft.headerVariables().get(0) + "}}");
        }
        for (String variable : draft.allVariables()) {
            if (draft.example(variable).isEmpty()) {
                add(problems, "example." + variable, "example-missing", "{{" + variable + "}}");
            }
        }
    }

    private static void buttons(TemplateDraft draft, List<Problem> problems) {
        List<TemplateDraft.Button> buttons = draft.buttons();
        if (buttons.size() > BUTTONS_MAX) {
            add(problems, "buttons", "too-many-buttons", BUTTONS_MAX);
        }
        Map<String, Integer> limits = Map.of("URL", URL_BUTTONS_MAX, "PHONE_NUMBER", PHONE_BUTTONS_MAX, "COPY_CODE", COPY_CODE_BUTTONS_MAX);
        limits.forEach((type, max) -> {
            long count = buttons.stream().filter(b -> b.type().equals(type)).count();
            if (count > max) {
                add(problems, "buttons", "too-many-of-type", max, type);
            }
        });
        // Quick replies stand together: before or after the other buttons, never among them.
        boolean quickReplySeen = false;
        boolean otherAfterQuickReply = false;
        for (TemplateDraft.Button button : buttons) {
            if ("QUICK_REPLY".equals(button.type())) {
                if (otherAfterQuickReply) {
                    add(problems, "buttons", "quick-replies-grouped");
                    break;
                }
                quickReplySeen = true;
            } else if (quickReplySeen) {
                otherAfterQuickReply = true;
            }
        }
        for (int i = 0; i < buttons.size(); i++) {
            button(i, buttons.get(i), problems);
        }
    }

    private static void button(int i, TemplateDraft.Button button, List<Problem> problems) {
        String at = "buttons." + i + ".";
        switch (button.type()) {
            case "QUICK_REPLY", "URL", "PHONE_NUMBER" -> {
                if (button.text().isEmpty()) {
                    add(problems, at + "text", "button-text");
                } else if (button.text().length() > BUTTON_TEXT_MAX) {
                    add(problems, at + "text", "too-long", BUTTON_TEXT_MAX, button.text().length());
                }
            }
            case "COPY_CODE" -> {
                if (button.example().isEmpty()) {
                    add(problems, at + "example", "copy-code-example");
                } else if (button.example().length() > COPY_CODE_MAX) {
                    add(problems, at + "example", "too-long", COPY_CODE_MAX, button.example().length());
                }
            }
            case "OTP" -> add(problems, at + "type", "otp-not-authentication");
            default -> add(problems, at + "type", "button-type");
        }
        if ("URL".equals(button.type())) {
            url(at, button, problems);
        }
        if ("PHONE_NUMBER".equals(button.type())) {
            if (button.phoneNumber().isEmpty()) {
                add(problems, at + "phoneNumber", "required");
            } else if (button.phoneNumber().length() > PHONE_MAX || !PHONE.matcher(button.phoneNumber()).matches()) {
                add(problems, at + "phoneNumber", "phone");
            }
        }
    }

    private static void url(String at, TemplateDraft.Button button, List<Problem> problems) {
        String url = button.url();
        if (url.isEmpty()) {
            add(problems, at + "url", "required");
            return;
        }
        if (url.length() > URL_MAX) {
            add(problems, at + "url", "too-long", URL_MAX, url.length());
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            add(problems, at + "url", "url");
        }
        List<String> variables = TemplateDraft.variables(url);
        Matcher m = TemplateDraft.VARIABLE.matcher(url);
        if (variables.size() > 1 || (variables.size() == 1 && (!"1".equals(variables.get(0)) || !url.endsWith("}}")))) {
            add(problems, at + "url", "url-variable");
        } else if (variables.size() == 1 && m.find() && button.example().isEmpty()) {
            add(problems, at + "example", "url-example");
        }
    }

    private static void add(List<Problem> problems, String field, String key, Object... args) {
        problems.add(new Problem(field, "templates.check." + key, List.of(args)));
    }
}
