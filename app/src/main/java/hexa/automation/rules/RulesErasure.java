package hexa.automation.rules;

import hexa.contacts.ContactsDeleted;
import hexa.platform.privacy.ErasedPerson;
import hexa.platform.privacy.PersonErasure;
import hexa.platform.privacy.RetentionPurge;
import hexa.platform.privacy.WorkspaceDeletion;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The rules' part of the privacy promises: erasing a person deletes their log lines (and the loop guard's marks about
 * them); the log expires with the logs (180 days by default), the marks after an hour; a deleted contact's lines go
 * with them; a closed workspace's rules, log and settings are deleted.
 */
@Component
class RulesErasure implements PersonErasure, RetentionPurge, WorkspaceDeletion {

    static final Duration ECHOES_KEPT = Duration.ofHours(1);
    private static final List<String> DELETES = List.of(
            "delete from automation_rule_echoes where tenant_id = :tenant",
            "delete from automation_rule_log where tenant_id = :tenant",
            "delete from automation_rule_passes where tenant_id = :tenant",
            "delete from automation_rule_sets where tenant_id = :tenant",
            "delete from automation_rules where tenant_id = :tenant",
            "delete from automation_settings where tenant_id = :tenant");

    private final JdbcClient jdbc;
    private final RuleEchoes echoes;
    private final BuiltInRules builtIns;
    private final RuleCache cache;

    RulesErasure(JdbcClient jdbc, RuleEchoes echoes, BuiltInRules builtIns, RuleCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.echoes = echoes;
        this.builtIns = builtIns;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> erase(ErasedPerson person) {
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("automation_rule_echoes", (long) jdbc.sql("""
                delete from automation_rule_echoes e
                 where e.tenant_id = :tenant
                   and (e.subject_id = :contact
                        or e.subject_id in (select l.conversation_id from automation_rule_log l
                                             where l.tenant_id = :tenant and l.contact_id = :contact and l.conversation_id is not null)
                        or e.subject_id in (select p.conversation_id from automation_rule_passes p
                                             where p.tenant_id = :tenant and p.contact_id = :contact and p.conversation_id is not null))
                """).param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        removed.put("automation_rule_log", (long) jdbc.sql("delete from automation_rule_log where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        removed.put("automation_rule_passes", (long) jdbc.sql("delete from automation_rule_passes where tenant_id = :tenant and contact_id = :contact")
                .param("tenant", person.tenantId()).param("contact", person.contactId()).update());
        return removed;
    }

    @Override
    public Map<String, Long> purge(RetentionPurge.Rules rules, boolean dryRun) {
        Map<String, Long> removed = new LinkedHashMap<>();
        UUID[] held = rules.held().toArray(new UUID[0]);
        UUID none = new UUID(0, 0);
        for (String table : List.of("automation_rule_log", "automation_rule_passes")) {
            String where = " from " + table + " where tenant_id = :tenant and at < :before and not (coalesce(contact_id, :none) = any(:held))";
            removed.put(table, dryRun
                    ? jdbc.sql("select count(*)" + where).param("tenant", rules.tenantId()).param("before", hexa.platform.database.Sql.ts(rules.logsBefore()))
                            .param("held", held).param("none", none).query(Long.class).single()
                    : (long) jdbc.sql("delete" + where).param("tenant", rules.tenantId()).param("before", hexa.platform.database.Sql.ts(rules.logsBefore()))
                            .param("held", held).param("none", none).update());
        }
        removed.put("automation_rule_echoes", echoes.purge(rules.tenantId(), rules.now().minus(ECHOES_KEPT), dryRun));
        return removed;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        builtIns.forget(tenantId);
        cache.forget(tenantId);
        return removed;
    }

    /** A deleted contact's log lines go with them. */
    @ApplicationModuleListener(id = "automation.rules.contacts-deleted")
    void on(ContactsDeleted deleted) {
        for (String table : List.of("automation_rule_log", "automation_rule_passes")) {
            jdbc.sql("delete from " + table + " where tenant_id = :tenant and contact_id = any(:contacts)")
                    .param("tenant", deleted.tenantId()).param("contacts", deleted.contactIds().toArray(new UUID[0])).update();
        }
    }
}
