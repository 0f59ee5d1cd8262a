package hexa;

import com.tngtech.archunit.core.domain.JavaClass;
import hexa.support.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import static org.assertj.core.api.Assertions.assertThat;

/** Each feature is an application module: no cycles, and no module reaches into another's internals. */
class ModulesTest {

    /**
     * The sandbox is a library the channel mounts (its own Maven module), not a feature of the CRM; {@code hexa.support}
     * is the tests' own help, some of it shared with the sandbox's tests through its test jar.
     */
    static final ApplicationModules MODULES = ApplicationModules.of(HexaApplication.class,
            JavaClass.Predicates.resideInAnyPackage("hexa.sandbox..", "hexa.support.."));

    @Test
    void every_feature_depends_on_others_only_through_their_published_api_and_events() {
        MODULES.verify();
    }

    /**
     * The module map in {@code docs/modules/} is the one the code has: Spring Modulith's documenter draws it
     * (PlantUML: all modules, then each with its neighbours; a canvas per module listing its published types,
     * events and listeners). When the modules change, copy {@code app/target/modulith-docs/*} there.
     */
    @Test
    void the_module_map_in_the_docs_is_the_one_the_code_has() throws IOException {
        Path drawn = TestPaths.target().resolve("modulith-docs");
        new Documenter(MODULES, drawn.toString()).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml().writeModuleCanvases();
        Path committed = TestPaths.target().getParent().getParent().resolve("docs").resolve("modules");
        List<Path> files;
        try (Stream<Path> listed = Files.list(drawn)) {
            files = listed.filter(p -> p.getFileName().toString().matches(".*\\.(puml|adoc)")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            Path mine = committed.resolve(file.getFileName());
            assertThat(mine).as("docs/modules/%s is missing; copy it from %s", file.getFileName(), drawn).exists();
            // Compared line by line in any order: the documenter lists modules and relations in the order it meets them.
            assertThat(Files.readAllLines(mine)).as("docs/modules/%s is out of date; copy it from %s", file.getFileName(), drawn)
                    .containsExactlyInAnyOrderElementsOf(Files.readAllLines(file));
        }
    }
}
