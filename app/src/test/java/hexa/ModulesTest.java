package hexa;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Each feature is an application module: no cycles, and no module reaches into another's internals. */
class ModulesTest {

    /** The sandbox is a library the channel mounts (its own Maven module), not a feature of the CRM. */
    static final ApplicationModules MODULES = ApplicationModules.of(HexaApplication.class,
            JavaClass.Predicates.resideInAPackage("hexa.sandbox.."));

    @Test
    void every_feature_depends_on_others_only_through_their_published_api_and_events() {
        MODULES.verify();
    }
}
