package hexa.automation.rules.pages;

import static hexa.platform.web.Text.t;

import java.util.List;

/**
 * What the editor's selects offer from the workspace: its members, teams, published flows, tags in use, approved
 * templates, custom contact fields, and the conversations the test panel can run a rule against.
 */
public record EditorChoices(List<Choice> members, List<Choice> teams, List<Choice> flows, List<String> tags, List<Choice> templates,
                            List<Choice> attributes, List<Choice> conversations) {

    /** A value to submit and the words to show for it. */
    public record Choice(String value, String label) {
    }

    /** What a select of an action's field offers. */
    public List<Choice> options(ActionFields.Input input) {
        return switch (input) {
            case MEMBER, MEMBERS -> members;
            case TEAM -> teams;
            case FLOW -> flows;
            case ATTRIBUTE -> attributes;
            case STATUS -> ActionFields.STATUSES.stream().map(s -> new Choice(s, t("automation.rules.status." + s))).toList();
            case MEDIA_TYPE -> ActionFields.MEDIA_TYPES.stream().map(s -> new Choice(s, t("automation.rules.media." + s))).toList();
            default -> List.of();
        };
    }

    /** Whether a stored value is none of the choices (a member who left, a flow unpublished): shown as such, and kept. */
    public static boolean unknown(List<Choice> options, String value) {
        return value != null && !value.isEmpty() && options.stream().noneMatch(o -> o.value().equals(value));
    }
}
