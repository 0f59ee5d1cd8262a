package hexa.automation.rules;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.outbound.OutboundCalls;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The workspace's rules as the pages and the API edit them ({@link RuleBook}): checked ({@link RuleChecks}), kept in
 * order, audited. The consent keywords' built-in rule keeps its trigger, conditions and actions (the words and the
 * replies are the contacts' consent settings); its name and switches can change.
 */
@Service
class Rules implements RuleBook {

    private final RuleRows rows;
    private final BuiltInRules builtIns;
    private final AuditTrail audit;
    private final RuleTimers timers;
    private final Clock clock;
    private final OutboundCalls outbound;

    Rules(RuleRows rows, BuiltInRules builtIns, AuditTrail audit, RuleTimers timers, Clock clock, OutboundCalls outbound) {
        this.outbound = outbound;
        this.timers = timers;
        this.rows = rows;
        this.builtIns = builtIns;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    @Transactional
    public List<Rule> list() {
        UUID tenant = tenant();
        return rows.all(tenant);
    }

    @Override
    @Transactional
    public Optional<Rule> find(UUID id) {
        return rows.find(tenant(), id);
    }

    @Override
    @Transactional
    public Rule create(Rule draft) {
        UUID tenant = tenant();
        Rule checked = RuleChecks.check(draft);
        RuleChecks.checkAddresses(checked, outbound);
        Instant now = clock.instant();
        Rule rule = new Rule(Ids.newId(), checked.name(), rows.nextPosition(tenant), checked.enabled(), checked.stopAfter(), checked.trigger(),
                checked.match(), checked.conditions(), checked.actions(), null, now, now);
        rows.insert(tenant, rule, TenantContext.actor().userId());
        audit.record(AuditEntry.of("automation.rule_created").target("rule", rule.id(), rule.name()).details(summary(rule)));
        timers.schedule(tenant, rule);
        return rows.find(tenant, rule.id()).orElseThrow();
    }

    @Override
    @Transactional
    public Rule update(UUID id, Rule edited) {
        UUID tenant = tenant();
        Rule before = rows.find(tenant, id).orElseThrow(NotFoundException::new);
        Rule checked = RuleChecks.check(edited);
        RuleChecks.checkAddresses(checked, outbound);
        boolean fixed = BuiltInRules.CONSENT_KEYWORDS.equals(before.builtIn());
        Rule rule = new Rule(id, checked.name(), before.position(), checked.enabled(), checked.stopAfter(),
                fixed ? before.trigger() : checked.trigger(), fixed ? before.match() : checked.match(),
                fixed ? before.conditions() : checked.conditions(), fixed ? before.actions() : checked.actions(),
                before.builtIn(), before.createdAt(), clock.instant());
        rows.update(tenant, rule, TenantContext.actor().userId());
        Map<String, Object> details = summary(rule);
        if (!before.name().equals(rule.name())) {
            details.put("from", before.name());
        }
        audit.record(AuditEntry.of("automation.rule_changed").target("rule", id, rule.name()).details(details));
        timers.schedule(tenant, rule);
        return rows.find(tenant, id).orElseThrow();
    }

    @Override
    @Transactional
    public boolean delete(UUID id) {
        UUID tenant = tenant();
        Optional<Rule> rule = rows.find(tenant, id);
        if (rule.isEmpty()) {
            return false;
        }
        if (rule.get().builtIn() != null) {
            throw new UserError(HttpStatus.CONFLICT, "built_in", "automation.rules.built-in-kept", rule.get().name());
        }
        rows.delete(tenant, id);
        audit.record(AuditEntry.of("automation.rule_deleted").target("rule", id, rule.get().name()));
        return true;
    }

    @Override
    @Transactional
    public void enable(UUID id, boolean enabled) {
        UUID tenant = tenant();
        Rule rule = rows.find(tenant, id).orElseThrow(NotFoundException::new);
        if (rule.enabled() == enabled) {
            return;
        }
        rows.enable(tenant, id, enabled, clock.instant(), TenantContext.actor().userId());
        if (enabled) {
            audit.record(AuditEntry.of("automation.rule_enabled").target("rule", id, rule.name()));
        } else {
            audit.record(AuditEntry.of("automation.rule_disabled").target("rule", id, rule.name()));
        }
        timers.schedule(tenant, rows.find(tenant, id).orElseThrow());
    }

    @Override
    @Transactional
    public void move(UUID id, int by) {
        UUID tenant = tenant();
        rows.nextPosition(tenant);
        List<Rule> all = rows.all(tenant);
        int at = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                at = i;
            }
        }
        if (at < 0) {
            throw new NotFoundException();
        }
        int to = Math.max(0, Math.min(all.size() - 1, at + Integer.signum(by)));
        if (to == at) {
            return;
        }
        java.util.ArrayList<Rule> ordered = new java.util.ArrayList<>(all);
        Rule moved = ordered.remove(at);
        ordered.add(to, moved);
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).position() != i) {
                rows.position(tenant, ordered.get(i).id(), i);
            }
        }
        audit.record(AuditEntry.of("automation.rule_moved").target("rule", id, moved.name()).details(Map.of("position", to + 1)));
    }

    @Override
    @Transactional
    public Rule copy(UUID id) {
        UUID tenant = tenant();
        rows.nextPosition(tenant);
        Rule original = rows.find(tenant, id).orElseThrow(NotFoundException::new);
        String name = Text.t("automation.rules.copy-of", original.name());
        if (name.length() > RuleChecks.MAX_NAME) {
            name = name.substring(0, RuleChecks.MAX_NAME);
        }
        rows.makeRoomAfter(tenant, original.position());
        Instant now = clock.instant();
        Rule copy = new Rule(Ids.newId(), name, original.position() + 1, false, original.stopAfter(), original.trigger(), original.match(),
                original.conditions(), original.actions(), null, now, now);
        rows.insert(tenant, copy, TenantContext.actor().userId());
        audit.record(AuditEntry.of("automation.rule_copied").target("rule", copy.id(), copy.name()).details(Map.of("from", original.name())));
        return rows.find(tenant, copy.id()).orElseThrow();
    }

    private UUID tenant() {
        UUID tenant = TenantContext.tenantId();
        builtIns.ensure(tenant);
        return tenant;
    }

    private static Map<String, Object> summary(Rule rule) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", rule.enabled());
        details.put("trigger", rule.trigger().kind().name());
        details.put("conditions", rule.conditions().size());
        details.put("actions", rule.actions().stream().map(a -> a.kind().name()).toList());
        return details;
    }
}
