package hexa.whatsapp.graph;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers {@link GraphSettings}: the application scans only a few packages for settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphSettings.class)
class GraphConfiguration {
}
