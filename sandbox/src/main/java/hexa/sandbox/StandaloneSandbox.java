package hexa.sandbox;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot application the standalone jar runs. Guarded by a property so that a host
 * application whose component scan covers {@code hexa.sandbox} does not pick it up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SandboxConfiguration.class)
@ConditionalOnProperty(name = "hexa.sandbox.standalone", havingValue = "true")
public class StandaloneSandbox {
}
