package hexa.support;

import java.nio.file.Path;

public final class TestPaths {

    private TestPaths() {
    }

    /** The module's target directory, where tests leave databases, screenshots and reports. */
    public static Path target() {
        String fromMaven = System.getenv("HEXA_TEST_TARGET");
        return Path.of(fromMaven != null ? fromMaven : "target").toAbsolutePath();
    }
}
