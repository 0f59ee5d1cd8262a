package hexa;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.support.HexaIntegrationTest;
import hexa.support.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each table has one owning module, the only one whose SQL names it. Another module reads it through the owner's
 * published query: a method of the owner's API, or one of the owner's {@code published_*} views (read only: PostgreSQL
 * would let a simple view be written through, the rule does not). A table added without an owner fails here.
 */
class TableOwnersTest extends HexaIntegrationTest {

    /** The tables and published views of each module. */
    static final Map<String, Set<String>> OWNED = new LinkedHashMap<>();

    static {
        OWNED.put("identity", Set.of("workspaces", "users", "memberships", "invitations", "api_tokens", "sign_in_throttle", "single_sign_on",
                "invitation_address_proofs", "password_resets", "two_factor", "two_factor_recovery_codes"));
        OWNED.put("audit", Set.of("audit_events"));
        OWNED.put("whatsapp", Set.of("whatsapp_connections", "whatsapp_numbers", "webhook_events", "whatsapp_templates",
                "whatsapp_read_receipts", "messages", "message_status_events", "message_reactions", "media_files", "media_uploads",
                "media_uploads_at_meta", "whatsapp_shared_app_approvals", "webhook_parked_changes", "whatsapp_account_notices", "published_messages",
                "api_idempotency_keys"));
        OWNED.put("contacts", Set.of("contacts", "contact_tags", "contact_notes", "contact_events", "contact_attributes",
                "contact_segments", "contact_consent_events", "contact_consent_settings", "contact_imports", "contact_import_files",
                "contact_import_mappings", "contact_import_problems", "contact_bulk_jobs", "contact_bulk_job_items", "contact_referrals",
                "published_contact_sources",
                "published_contacts"));
        OWNED.put("inbox", Set.of("conversations", "conversation_notes", "conversation_tags", "inbox_notifications", "inbox_settings",
                "canned_responses", "assignment_rules", "teams", "team_members", "member_availability"));
        OWNED.put("privacy", Set.of("privacy_legal_holds", "privacy_erasures", "privacy_settings", "privacy_purge_runs", "privacy_requests",
                "privacy_public_pages", "privacy_request_codes", "privacy_exports", "privacy_workspace_closings",
                "privacy_workspace_exports"));
        // automation: rules, business hours and flows each list their tables on their own line
        OWNED.put("automation", union(
                // rules
                Set.of("automation_rules", "automation_rule_log", "automation_settings", "automation_rule_echoes", "automation_rule_sets",
                        "automation_rule_passes"),
                // business hours
                Set.of("business_hour_weeks", "business_hour_intervals", "business_hour_holidays"),
                // chatbot flows
                Set.of("automation_flows", "automation_flow_versions", "automation_flow_runs", "automation_flow_run_steps")));
        OWNED.put("campaigns", Set.of("campaigns", "campaign_recipients"));
        // kept by libraries: Spring Session, Spring Modulith's event registry, Flyway, db-scheduler (durable timers)
        OWNED.put("platform", Set.of("spring_session", "spring_session_attributes", "event_publication", "flyway_schema_history",
                // db-scheduler, under hexa.platform.timers
                "scheduled_tasks"));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... parts) {
        Set<String> all = new java.util.TreeSet<>();
        for (Set<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** The words after which SQL names a table it reads, and those after which it names one it writes. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)\\b(delete\\s+from|insert\\s+into|update|from|join|using|into|table)\\s+([a-z_][a-z0-9_]*)");

    @Autowired
    JdbcClient jdbc;

    @Test
    void every_table_and_published_view_has_one_owner() {
        List<String> relations = jdbc.sql("""
                select table_name from information_schema.tables
                 where table_schema = 'public' and (table_type = 'BASE TABLE' or table_name like 'published\\_%')
                """).query(String.class).list();
        Map<String, List<String>> owners = new LinkedHashMap<>();
        OWNED.forEach((module, tables) -> tables.forEach(t -> owners.computeIfAbsent(t, k -> new ArrayList<>()).add(module)));
        assertThat(relations).allSatisfy(table -> assertThat(owners.get(table)).as("owners of %s", table).hasSize(1));
        assertThat(relations).containsAll(owners.keySet());
    }

    @Test
    void a_module_names_in_sql_only_its_own_tables_and_reads_others_only_through_their_published_views() throws IOException {
        Map<String, String> ownerOf = new LinkedHashMap<>();
        OWNED.forEach((module, tables) -> tables.forEach(t -> ownerOf.put(t, module)));
        Path sources = TestPaths.target().getParent().resolve("src/main/java/hexa");
        Set<String> violations = new TreeSet<>();
        int statements = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                String module = relative.getName(0).toString();
                for (String literal : stringLiterals(Files.readString(file))) {
                    Matcher m = NAMED.matcher(literal);
                    while (m.find()) {
                        String table = m.group(2).toLowerCase(java.util.Locale.ROOT);
                        String owner = ownerOf.get(table);
                        if (owner == null) {
                            continue;
                        }
                        statements++;
                        boolean writes = !Set.of("from", "join", "using").contains(m.group(1).toLowerCase(java.util.Locale.ROOT));
                        boolean published = table.startsWith("published_");
                        if (!owner.equals(module) && (!published || writes)) {
                            violations.add(relative + ": " + m.group(1) + " " + table + " (owned by " + owner + ")");
                        }
                    }
                }
            }
        }
        assertThat(statements).as("SQL naming tables was found in the sources").isGreaterThan(100);
        assertThat(violations).isEmpty();
    }

    /**
     * A published view costs its reader nothing: PostgreSQL plans a query through it exactly as through the owner's
     * table (the inbox's search by words, here), so the owner's indexes serve it as they serve the owner.
     */
    @Test
    void a_query_through_a_published_view_is_planned_as_through_the_table() {
        String search = """
                explain (costs off)
                select id, conversation_id, body from %s
                 where tenant_id = '01a24f3a-1fca-7662-9004-daa359cb26a9'
                   and (sent_at at time zone 'UTC')::date = date '2026-12-01'
                   and to_tsvector('simple', coalesce(body, '')) @@ to_tsquery('simple', 'hello')
                 order by sent_at desc, id desc limit 30
                """;
        // Through the view, a sort names its columns with the table's name: the same columns.
        List<String> throughView = jdbc.sql(search.formatted("published_messages")).query(String.class).list().stream()
                .map(line -> line.replace("messages.", "")).toList();
        assertThat(throughView).as("the plan reads the table by one of its indexes").anyMatch(line -> line.matches(".*Index.* on messages.*"));
        assertThat(throughView).isEqualTo(jdbc.sql(search.formatted("messages")).query(String.class).list());
    }

    /** The string literals and text blocks of a Java source, without its comments. */
    static List<String> stringLiterals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) < 0 ? n : source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end;
                literals.add(source.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    literals.add(source.substring(i + 1, Math.min(j, n)));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    @Test
    void the_literal_reader_skips_comments_and_keeps_text_blocks() {
        String source = "// from messages\n/* join contacts */ String a = \"select 1 from users\"; char q = '\"';\n"
                + "String b = \"\"\"\n  update teams set x = 1\n  \"\"\";";
        assertThat(stringLiterals(source)).containsExactly("select 1 from users", "\n  update teams set x = 1\n  ");
        assertThat(stringLiterals(source).stream().collect(Collectors.joining())).doesNotContain("messages", "contacts");
    }
}
