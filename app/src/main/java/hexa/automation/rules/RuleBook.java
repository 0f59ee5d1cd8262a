package hexa.automation.rules;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules of the current workspace (TenantContext): what the pages and the API edit. Every change is audited.
 * A rule that breaks a check (no name, no action, a pattern that does not compile, a reply without a text...) is
 * refused with a {@link hexa.platform.web.UserError} naming the problem, and nothing changes.
 */
public interface RuleBook {

    /** Every rule, in the order they are considered. */
    List<Rule> list();

    Optional<Rule> find(UUID id);

    /** Adds a rule at the end (its id, position and times are the book's); answers it as stored. */
    Rule create(Rule draft);

    /** Replaces the rule's name, trigger, match, conditions, actions and switches; answers it as stored. */
    Rule update(UUID id, Rule edited);

    /** Deletes a rule (not a built-in one); answers whether there was one. */
    boolean delete(UUID id);

    void enable(UUID id, boolean enabled);

    /** Moves the rule one place up ({@code -1}) or down ({@code 1}). */
    void move(UUID id, int by);

    /** A disabled copy of the rule, named "Copy of …", placed after it. */
    Rule copy(UUID id);
}
