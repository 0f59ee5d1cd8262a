package hexa.sandbox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Everything the sandbox needs, for a host application to {@code @Import}: the Graph API
 * controllers (under {@code hexa.sandbox.graph-path}), the control API under {@code /sandbox/api},
 * the phone simulator at {@code /sandbox} and the beans behind them. Needs only Spring MVC.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = SandboxConfiguration.class)
@EnableConfigurationProperties(SandboxProperties.class)
public class SandboxConfiguration {
}
