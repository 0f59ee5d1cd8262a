package hexa.whatsapp;

import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.Text;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A number's messaging limit: how many unique customers it may message outside a customer service window in a rolling
 * 24 hours (250, 2,000, 10,000, 100,000 or unlimited), read from the Graph API's
 * {@code whatsapp_business_manager_messaging_limit} and refreshed hourly. Bulk messages count towards it from when Meta
 * accepted them; a bulk message to a new customer beyond the limit is not failed but held until the window lets one
 * more in, while messages to customers already written to in the window, and first-lane messages, go as ever.
 */
@Component
class MessagingLimits {

    static final Duration WINDOW = Duration.ofHours(24);
    private static final Logger log = LoggerFactory.getLogger(MessagingLimits.class);

    private final JdbcClient jdbc;
    private final Connections connections;
    private final ConnectionService connectionService;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final OutboundQueue queue;
    private final Clock clock;

    MessagingLimits(JdbcClient jdbc, Connections connections, ConnectionService connectionService, GraphClient graph, GraphSettings graphSettings,
                    OutboundQueue queue, Clock clock) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.connectionService = connectionService;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Meta's messaging limit in a phone number object: {@code TIER_250}, {@code TIER_2K}, {@code TIER_10K},
     * {@code TIER_100K}, {@code TIER_UNLIMITED} (or the same under {@code current_limit} /
     * {@code max_daily_conversations_per_business} of an object). Empty when the object does not say; null inside when
     * unlimited.
     */
    static Optional<Optional<Integer>> parse(JsonNode phoneNumber) {
        JsonNode limit = phoneNumber.path("whatsapp_business_manager_messaging_limit");
        if (limit.isObject()) {
            limit = limit.has("max_daily_conversations_per_business") ? limit.get("max_daily_conversations_per_business") : limit.path("current_limit");
        }
        if (limit.isMissingNode() || limit.isNull()) {
            limit = phoneNumber.path("messaging_limit_tier"); // deprecated by Meta, still answered by older versions
        }
        if (limit.isNumber()) {
            return Optional.of(limit.asInt() > 0 ? Optional.of(limit.asInt()) : Optional.empty());
        }
        if (!limit.isString()) {
            return Optional.empty();
        }
        String tier = limit.asString().toUpperCase(Locale.ROOT).replace("TIER_", "");
        if (tier.equals("UNLIMITED")) {
            return Optional.of(Optional.empty());
        }
        try {
            int value = tier.endsWith("K") ? Integer.parseInt(tier.substring(0, tier.length() - 1)) * 1000 : Integer.parseInt(tier);
            return Optional.of(Optional.of(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Reads the number's messaging limit from the Graph API and stores it; the number's other checks are not touched. */
    void refresh(Connection connection) {
        GraphEndpoint endpoint = new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), connectionService.accessToken(connection));
        JsonNode number = graph.phoneNumber(endpoint, connection.phoneNumberId());
        parse(number).ifPresent(limit -> connections.recordMessagingLimit(connection.tenantId(), connection.id(), limit.orElse(null), clock.instant()));
    }

    /** Every connected number whose limit was not read in the last hour is read again. */
    @Scheduled(fixedDelayString = "${hexa.whatsapp.messaging-limit-refresh:1h}", initialDelayString = "${hexa.whatsapp.messaging-limit-refresh:1h}")
    void refreshAll() {
        List<UUID[]> due = jdbc.sql("""
                select tenant_id, id from whatsapp_connections
                 where status = 'CONNECTED' and (messaging_limit_checked_at is null or messaging_limit_checked_at < :since)
                """)
                .param("since", Sql.ts(clock.instant().minus(Duration.ofHours(1))))
                .query((rs, n) -> new UUID[] {Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id")}).list();
        for (UUID[] number : due) {
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(number[0], "WhatsApp"))) {
                connections.find(number[0], number[1]).ifPresent(this::refresh);
            } catch (RuntimeException e) {
                log.info("Could not read the messaging limit of number {}: {}", number[1], e.getMessage());
            }
        }
    }

    /**
     * Among messages just claimed (in the claim's transaction), the bulk ones to new customers beyond their number's
     * messaging limit: each is held until the rolling window frees a place, and answered so that it is not sent now.
     * Customers counted are those Meta accepted a bulk message for in the last 24 hours, and those with a bulk message
     * in flight (claimed by any node and not yet answered).
     */
    Set<UUID> holdBeyondLimits(List<OutboundQueue.DueMessage> claimed, Duration lease) {
        Map<List<UUID>, List<OutboundQueue.DueMessage>> bulkByNumber = new LinkedHashMap<>();
        for (OutboundQueue.DueMessage message : claimed) {
            if (message.lane() == OutboundQueue.Lane.BULK) {
                bulkByNumber.computeIfAbsent(List.of(message.tenantId(), message.connectionId()), k -> new ArrayList<>()).add(message);
            }
        }
        Set<UUID> held = new HashSet<>();
        Instant now = clock.instant();
        Instant since = now.minus(WINDOW);
        for (Map.Entry<List<UUID>, List<OutboundQueue.DueMessage>> number : bulkByNumber.entrySet()) {
            UUID tenant = number.getKey().get(0);
            UUID connection = number.getKey().get(1);
            Optional<Integer> limit = connections.messagingLimit(tenant, connection);
            if (limit.isEmpty()) {
                continue;
            }
            List<OutboundQueue.DueMessage> batch = number.getValue();
            UUID[] batchIds = batch.stream().map(OutboundQueue.DueMessage::id).toArray(UUID[]::new);
            UUID[] batchContacts = batch.stream().map(OutboundQueue.DueMessage::contactId).distinct().toArray(UUID[]::new);
            Set<UUID> inWindow = new HashSet<>(jdbc.sql("""
                    select distinct contact_id from messages
                     where tenant_id = :tenant and connection_id = :connection and contact_id = any(:contacts)
                       and (limit_counted_at > :since
                            or (status = 'QUEUED' and send_lane = 1 and send_started_at is not null and not (id = any(:batch))))
                    """)
                    .param("tenant", tenant).param("connection", connection).param("contacts", batchContacts).param("since", Sql.ts(since))
                    .param("batch", batchIds).query(UUID.class).list());
            int used = jdbc.sql("""
                    select count(distinct contact_id) from messages
                     where tenant_id = :tenant and connection_id = :connection
                       and (limit_counted_at > :since
                            or (status = 'QUEUED' and send_lane = 1 and send_started_at is not null and not (id = any(:batch))))
                    """)
                    .param("tenant", tenant).param("connection", connection).param("since", Sql.ts(since)).param("batch", batchIds)
                    .query(Integer.class).single();
            List<OutboundQueue.DueMessage> beyond = new ArrayList<>();
            for (OutboundQueue.DueMessage message : batch) {
                if (inWindow.contains(message.contactId())) {
                    continue;
                }
                if (used < limit.get()) {
                    used++;
                    inWindow.add(message.contactId());
                } else {
                    beyond.add(message);
                }
            }
            if (beyond.isEmpty()) {
                continue;
            }
            // The window lets one more customer in when its oldest counted send is 24 hours old (or, with only sends in
            // flight filling it, soon after they are answered).
            Instant oldest = jdbc.sql("""
                    select min(limit_counted_at) as oldest from messages
                     where tenant_id = :tenant and connection_id = :connection and limit_counted_at > :since
                    """)
                    .param("tenant", tenant).param("connection", connection).param("since", Sql.ts(since))
                    .query((rs, n) -> Sql.instant(rs, "oldest")).optional().orElse(null);
            Instant next = oldest == null ? now.plus(lease) : oldest.plus(WINDOW).plusSeconds(1);
            try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenant, "WhatsApp"))) {
                String reason = Text.t("whatsapp.sending.held-by-limit", limit.get());
                for (OutboundQueue.DueMessage message : beyond) {
                    queue.holdForLimit(message.id(), next, reason);
                    held.add(message.id());
                }
            }
            log.info("{} bulk messages on number {} held by its messaging limit of {} customers until {}", beyond.size(), connection,
                    limit.get(), next);
        }
        return held;
    }
}
