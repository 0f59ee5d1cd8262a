package hexa.automation.rules.pages;

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
}
