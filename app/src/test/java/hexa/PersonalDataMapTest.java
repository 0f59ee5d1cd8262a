package hexa;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
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
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The personal data map is complete and true: every table of the schema is declared by the module that owns it, with
 * whose data it holds and how that is exported, erased and expired; a declared column exists; a table that refers to a
 * customer, a conversation or a message cannot be declared as holding nobody's data; and {@code docs/privacy.md} shows
 * the map the code declares. A feature that adds a table without declaring it fails here.
 */
class PersonalDataMapTest extends HexaIntegrationTest {

    /** Columns that make a row about a person: a table with one is never "nobody's data". */
    private static final Pattern REFERS_TO_A_PERSON = Pattern.compile("contact_id|conversation_id|message_id|wa_id|.*wamid.*|.*e164.*|recipient_id|reactor");
    /** Columns that may hold a number, a name, text or a file: a table with one must say whose data it is. */
    private static final Pattern MAY_HOLD_PERSONAL_DATA = Pattern.compile(
            ".*phone.*|.*email.*|.*name|body|.*text.*|.*note.*|content|details?|item|value|filename|blob_key|sealed|.*_bytes|serialized_event|ip_address|user_agent|filter");

    @Autowired
    List<PersonalData> declarations;

    @Autowired
    JdbcClient jdbc;

    private Map<String, Set<String>> columnsOfTables() {
        Map<String, Set<String>> columns = new TreeMap<>();
        jdbc.sql("""
                select c.table_name, c.column_name from information_schema.columns c
                  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                """).query((rs, n) -> columns.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>()).add(rs.getString(2))).list();
        return columns;
    }

    private Map<String, PersonalTable> declared(Map<String, String> moduleOf) {
        Map<String, PersonalTable> byTable = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        for (PersonalData declaration : declarations) {
            String module = declaration.getClass().getName().split("\\.")[1];
            for (PersonalTable table : declaration.tables()) {
                if (byTable.put(table.table(), table) != null) {
                    twice.add(table.table());
                }
                moduleOf.put(table.table(), module);
            }
        }
        assertThat(twice).as("tables declared twice").isEmpty();
        return byTable;
    }

    @Test
    void every_table_is_declared_by_its_owner_with_columns_that_exist() {
        Map<String, String> moduleOf = new LinkedHashMap<>();
        Map<String, PersonalTable> declared = declared(moduleOf);
        Map<String, Set<String>> schema = columnsOfTables();

        assertThat(schema.keySet()).as("tables of the schema missing from the personal data map").allSatisfy(table ->
                assertThat(declared).as("%s is not declared by any module's PersonalData: say whose data it holds and how it is exported, erased and expired", table)
                        .containsKey(table));
        assertThat(declared.keySet()).as("declared tables that do not exist").allSatisfy(table -> assertThat(schema).containsKey(table));
        declared.forEach((table, declaration) -> {
            assertThat(TableOwnersTest.OWNED.get(moduleOf.get(table))).as("%s is declared by %s, which does not own it", table, moduleOf.get(table))
                    .contains(table);
            assertThat(schema.get(table)).as("the declared personal columns of %s", table).containsAll(declaration.columns());
        });
    }

    @Test
    void a_table_that_refers_to_a_person_or_may_hold_personal_data_says_whose_it_is() {
        Map<String, PersonalTable> declared = declared(new LinkedHashMap<>());
        Map<String, Set<String>> schema = columnsOfTables();
        List<String> wrong = new ArrayList<>();
        schema.forEach((table, columns) -> {
            PersonalTable declaration = declared.get(table);
            if (declaration == null) {
                return; // the test above names it
            }
            List<String> references = columns.stream().filter(c -> REFERS_TO_A_PERSON.matcher(c).matches()).toList();
            if (declaration.subject() == PersonalTable.Subject.NONE && !references.isEmpty()) {
                wrong.add(table + " refers to a person (" + references + ") but is declared as nobody's data");
            }
            if (declaration.subject() != PersonalTable.Subject.NONE && declaration.columns().isEmpty()) {
                wrong.add(table + " holds personal data but names none of its columns");
            }
            if (declaration.subject() == PersonalTable.Subject.CUSTOMER && declaration.export().isBlank()) {
                wrong.add(table + " holds customers' data but does not say where it goes in an export, or why not");
            }
            boolean mayHold = columns.stream().anyMatch(c -> MAY_HOLD_PERSONAL_DATA.matcher(c).matches());
            if (mayHold && declaration.note().isBlank()) {
                wrong.add(table + " may hold personal data; its note must say what it holds");
            }
        });
        assertThat(wrong).isEmpty();
    }

    /** docs/privacy.md shows the map the code declares, between its two markers; when a declaration changes, paste the text this prints. */
    @Test
    void docs_privacy_shows_the_declared_map() throws IOException {
        Map<String, String> moduleOf = new LinkedHashMap<>();
        Map<String, PersonalTable> declared = declared(moduleOf);
        StringBuilder map = new StringBuilder("| Module | Table | Whose | Columns | Export | Erasure | Expiry | What it is |\n|---|---|---|---|---|---|---|---|\n");
        declared.values().stream()
                .sorted(java.util.Comparator.comparing((PersonalTable t) -> moduleOf.get(t.table())).thenComparing(PersonalTable::subject).thenComparing(PersonalTable::table))
                .forEach(t -> map.append("| ").append(moduleOf.get(t.table())).append(" | `").append(t.table()).append("` | ")
                        .append(t.subject().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(t.columns().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "))).append(" | ")
                        .append(t.export()).append(" | ").append(t.erasure().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(" | ")
                        .append(t.expiry().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(" | ").append(t.note()).append(" |\n"));
        Path doc = TestPaths.target().getParent().getParent().resolve("docs/privacy.md");
        String text = Files.readString(doc);
        String begin = "<!-- personal data map: begin -->\n";
        String end = "<!-- personal data map: end -->";
        assertThat(text).contains(begin, end);
        String shown = text.substring(text.indexOf(begin) + begin.length(), text.indexOf(end));
        Files.writeString(TestPaths.target().resolve("personal-data-map.md"), map);
        assertThat(shown).as("docs/privacy.md's personal data map; paste app/target/personal-data-map.md between its markers").isEqualTo(map.toString());
    }
}
