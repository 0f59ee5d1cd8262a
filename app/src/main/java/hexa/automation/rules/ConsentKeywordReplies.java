package hexa.automation.rules;

import hexa.contacts.ConsentKeywords;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutboundQueue;
import hexa.whatsapp.Recipient;
import hexa.whatsapp.SendService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in rule that answers consent keywords: customers writing STOP, START or the workspace's own words are
 * opted out or in by the contacts module (always: that is their right, whatever the rules), and, while the rule
 * "STOP/START consent replies" is enabled, told so in the words of the consent settings, the message sent by the
 * rule and logged in its log. It runs after the messages are stored, in a transaction of its own; its publication is
 * recorded with them, so a crash before it completes hands it out again at the next start, and a keyword is never
 * left unanswered.
 */
@Component
class ConsentKeywordReplies {

    private final ConsentKeywords keywords;
    private final SendService sending;
    private final RuleRows rules;
    private final BuiltInRules builtIns;
    private final RuleLogRows ruleLog;
    private final TransactionTemplate nested;
    private final Clock clock;

    ConsentKeywordReplies(ConsentKeywords keywords, SendService sending, RuleRows rules, BuiltInRules builtIns, RuleLogRows ruleLog,
                          PlatformTransactionManager transactions, Clock clock) {
        this.keywords = keywords;
        this.sending = sending;
        this.rules = rules;
        this.builtIns = builtIns;
        this.ruleLog = ruleLog;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    @ApplicationModuleListener(id = "automation.consent-keyword-replies")
    void on(InboundMessagesReceived received) {
        List<ConsentKeywords.Written> written = received.messages().stream()
                .filter(m -> !m.texts().isEmpty())
                .map(m -> new ConsentKeywords.Written(m.contactId(), m.connectionId(), m.texts()))
                .toList();
        if (written.isEmpty()) {
            return;
        }
        UUID tenant = received.tenantId();
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "WhatsApp"))) {
            List<ConsentKeywords.Reply> replies = keywords.apply(written);
            if (replies.isEmpty()) {
                return;
            }
            builtIns.ensure(tenant);
            Optional<Rule> rule = rules.builtIn(tenant, BuiltInRules.CONSENT_KEYWORDS).filter(Rule::enabled);
            if (rule.isEmpty()) {
                return;
            }
            for (ConsentKeywords.Reply reply : replies) {
                RuleLog.ActionResult result;
                try {
                    UUID id = nested.execute(s -> sending.sendAutomatic(new Recipient(reply.contactId(), reply.connectionId()),
                            new MessageToSend.Text(reply.text()), new OutboundQueue.Sender("RULE", rule.get().id(), rule.get().name())));
                    result = new RuleLog.ActionResult(Rule.ActionKind.REPLY_TEXT, true, Text.t("automation.rules.did.reply", reply.text()), id);
                } catch (UserError e) {
                    result = new RuleLog.ActionResult(Rule.ActionKind.REPLY_TEXT, false, e.text(), null);
                } catch (RuntimeException e) {
                    // A number disconnected meanwhile: nothing is sent, and the keyword's effect stays.
                    result = new RuleLog.ActionResult(Rule.ActionKind.REPLY_TEXT, false, Text.t("automation.rules.did.failed"), null);
                }
                ruleLog.write(tenant, new RuleLog.Entry(hexa.platform.Ids.newId(), rule.get().id(), clock.instant(), null, reply.contactId(), null,
                        RuleEngine.FIRED, null, List.of(result)), result.ok() ? 1 : 0);
            }
        }
    }
}
