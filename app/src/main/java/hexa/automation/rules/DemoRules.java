package hexa.automation.rules;

import hexa.automation.rules.Rule.Action;
import hexa.automation.rules.Rule.ActionKind;
import hexa.automation.rules.Rule.Condition;
import hexa.automation.rules.Rule.ConditionField;
import hexa.automation.rules.Rule.Operator;
import hexa.automation.rules.Rule.Trigger;
import hexa.automation.rules.Rule.TriggerKind;
import hexa.platform.DemoConversationsSeeded;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The demo's rules, through the rule book as an Owner would make them: the welcome and away messages switched on,
 * and a keyword rule that answers "price" with buttons, so that a newcomer writing from the phone simulator sees
 * automation answer. Seeded once the sample conversations are in, so that they are not answered by it.
 */
@Component
class DemoRules {

    private final RuleBook book;

    DemoRules(RuleBook book) {
        this.book = book;
    }

    @Order(40)
    @EventListener
    void seeded(DemoConversationsSeeded demo) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), "Demo"))) {
            String keyword = Text.t("automation.rules.demo.price.name");
            List<Rule> rules = book.list();
            if (rules.stream().anyMatch(r -> r.name().equals(keyword))) {
                return;
            }
            rules.stream().filter(r -> BuiltInRules.WELCOME.equals(r.builtIn()) || BuiltInRules.AWAY.equals(r.builtIn()))
                    .forEach(r -> book.enable(r.id(), true));
            book.create(new Rule(null, keyword, 0, true, true, Trigger.on(TriggerKind.MESSAGE_RECEIVED), Rule.Match.ALL,
                    List.of(new Condition(ConditionField.TEXT, null, Operator.CONTAINS, "price")),
                    List.of(new Action(ActionKind.REPLY_BUTTONS, Map.of("text", Text.t("automation.rules.demo.price.text"),
                            "buttons", Text.t("automation.rules.demo.price.buttons")))),
                    null, null, null));
        }
    }
}
