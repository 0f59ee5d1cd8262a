package hexa.automation.rules;

import hexa.automation.rules.Rule.Action;
import hexa.automation.rules.Rule.ActionKind;
import hexa.automation.rules.Rule.Condition;
import hexa.automation.rules.Rule.ConditionField;
import hexa.automation.rules.Rule.Operator;
import hexa.automation.rules.Rule.Trigger;
import hexa.automation.rules.Rule.TriggerKind;
import hexa.platform.Ids;
import hexa.platform.database.Sql;
import hexa.platform.web.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The rules every workspace has from the start, visible and editable like the others: a welcome for a new contact and
 * an away message outside business hours (both off until someone switches them on), and the replies to the consent
 * keywords STOP and START (on, as the product always answered them). Created the first time the workspace's rules are
 * read or considered, for workspaces older than the rules as for new ones.
 */
@Component
class BuiltInRules {

    static final String WELCOME = "welcome";
    static final String AWAY = "away";
    static final String CONSENT_KEYWORDS = "consent-keywords";
    /** An away message goes to one conversation at most once in this many hours. */
    static final String AWAY_HOURS = "12";

    private final JdbcClient jdbc;
    private final RuleRows rows;
    private final Clock clock;
    private final Set<UUID> created = ConcurrentHashMap.newKeySet();

    BuiltInRules(JdbcClient jdbc, RuleRows rows, Clock clock) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.clock = clock;
    }

    /** Makes sure the workspace has its built-in rules (once; later calls cost nothing). */
    void ensure(UUID tenant) {
        if (created.contains(tenant)) {
            return;
        }
        jdbc.sql("insert into automation_settings (tenant_id) values (:tenant) on conflict do nothing").param("tenant", tenant).update();
        Instant done = jdbc.sql("select built_ins_created_at from automation_settings where tenant_id = :tenant for update")
                .param("tenant", tenant).query((rs, n) -> Sql.instant(rs, "built_ins_created_at")).optional().orElse(null);
        if (done == null) {
            Instant now = clock.instant();
            int position = rows.nextPosition(tenant);
            for (Rule rule : defaults(now)) {
                if (rows.builtIn(tenant, rule.builtIn()).isEmpty()) {
                    rows.insert(tenant, new Rule(Ids.newId(), rule.name(), position++, rule.enabled(), rule.stopAfter(), rule.trigger(), rule.match(),
                            rule.conditions(), rule.actions(), rule.builtIn(), now, now), null);
                }
            }
            jdbc.sql("update automation_settings set built_ins_created_at = :now where tenant_id = :tenant")
                    .param("tenant", tenant).param("now", Sql.ts(now)).update();
        }
        // Only once committed: a use case that fails after this (a rule refused) takes the new rows back with it.
        hexa.platform.database.AfterCommit.run(() -> created.add(tenant));
    }

    /** Forgets a workspace whose rows were deleted. */
    void forget(UUID tenant) {
        created.remove(tenant);
    }

    static List<Rule> defaults(Instant now) {
        Rule consent = new Rule(null, Text.t("automation.rules.built-in.consent.name"), 0, true, true, Trigger.on(TriggerKind.MESSAGE_RECEIVED),
                Rule.Match.ALL, List.of(new Condition(ConditionField.TEXT, null, Operator.MATCHES, "(?i)^\\s*(stop|start|unsubscribe|stop promotions)\\s*$")),
                List.of(new Action(ActionKind.REPLY_TEXT, Map.of("text", Text.t("automation.rules.built-in.consent.text")))),
                CONSENT_KEYWORDS, now, now);
        Rule welcome = new Rule(null, Text.t("automation.rules.built-in.welcome.name"), 1, false, false, Trigger.on(TriggerKind.CONTACT_CREATED),
                Rule.Match.ALL, List.of(),
                List.of(new Action(ActionKind.REPLY_TEXT, Map.of("text", Text.t("automation.rules.built-in.welcome.text")))),
                WELCOME, now, now);
        Rule away = new Rule(null, Text.t("automation.rules.built-in.away.name"), 2, false, false, Trigger.on(TriggerKind.MESSAGE_RECEIVED),
                Rule.Match.ALL, List.of(new Condition(ConditionField.BUSINESS_HOURS, null, Operator.IS, "closed")),
                List.of(new Action(ActionKind.REPLY_TEXT, Map.of("text", Text.t("automation.rules.built-in.away.text"), "onceEveryHours", AWAY_HOURS))),
                AWAY, now, now);
        return List.of(consent, welcome, away);
    }
}
