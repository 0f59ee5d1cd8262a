package hexa.platform.outbound;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the server may call when a workspace's automation calls a web address ({@code HEXA_OUTBOUND_*}). By default only
 * public internet addresses: {@code allowPrivateNetworks} opens private networks and this machine (never link-local,
 * where cloud metadata lives); {@code allowed} names exact services instead ({@code crm.internal:8443},
 * {@code 10.1.2.3}, {@code 10.8.0.0/16}, {@code [fd00::5]:9000}). A call waits {@code connectTimeout} to connect and
 * {@code readTimeout} for each read, and reads at most {@code maxResponse} of the answer.
 */
@ConfigurationProperties("hexa.outbound")
public record OutboundSettings(
        @DefaultValue("false") boolean allowPrivateNetworks,
        @DefaultValue List<String> allowed,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout,
        @DefaultValue("64KB") DataSize maxResponse) {
}
