package hexa.whatsapp;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.inbox.InboundMessage;
import hexa.inbox.MessageLog;
import hexa.inbox.StatusUpdate;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns stored webhook events into contacts, conversations, messages and statuses. Each event is
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so any number of app nodes share the work, and
 * processed in one transaction: it is either all applied and marked done, or retried later with
 * backoff. Every entry, change, message and status of a batched POST is handled.
 */
@Component
class WebhookProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
    private static final int BATCH = 50;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ContactService contacts;
    private final MessageLog messages;
    private final TemplateService templates;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final int workers;
    private final ExecutorService pool;
    private final java.util.concurrent.atomic.AtomicInteger draining = new java.util.concurrent.atomic.AtomicInteger();

    WebhookProcessor(JdbcClient jdbc, TransactionTemplate transaction, ContactService contacts, MessageLog messages,
                     TemplateService templates, @org.springframework.beans.factory.annotation.Value("${hexa.whatsapp.webhook-workers:1}") int workers,
                     Clock clock) {
        this.workers = Math.max(1, workers);
        java.util.concurrent.atomic.AtomicInteger names = new java.util.concurrent.atomic.AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.workers, r -> {
            Thread thread = new Thread(r, "webhook-processor-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.contacts = contacts;
        this.messages = messages;
        this.templates = templates;
        this.clock = clock;
    }

    /**
     * Asks for the stored events to be processed soon, by up to the configured number of workers;
     * the regular sweep catches anything missed. Workers may run side by side: each event is claimed
     * with SKIP LOCKED, and every write is idempotent and order-independent.
     */
    void wake() {
        while (true) {
            int running = draining.get();
            if (running >= workers) {
                return;
            }
            if (draining.compareAndSet(running, running + 1)) {
                pool.execute(() -> {
                    try {
                        drain();
                    } finally {
                        draining.decrementAndGet();
                    }
                });
                return;
            }
        }
    }

    @Scheduled(fixedDelayString = "${hexa.whatsapp.webhook-sweep:1s}", initialDelayString = "${hexa.whatsapp.webhook-sweep:1s}")
    void sweep() {
        wake();
    }

    /** Processes pending events until none is due. */
    void drain() {
        while (true) {
            int processed = 0;
            for (int i = 0; i < BATCH; i++) {
                if (!processOne()) {
                    return;
                }
                processed++;
            }
            if (processed == 0) {
                return;
            }
        }
    }

    private record Claimed(UUID tenantId, UUID id, UUID connectionId, String body, int attempts) {
    }

    /**
     * Claims and processes one due event; answers false when there was none. A failure rolls the
     * whole event back, and a second transaction schedules its retry.
     */
    boolean processOne() {
        Claimed[] claimed = new Claimed[1];
        try {
            Boolean found = transaction.execute(status -> {
                Optional<Claimed> event = jdbc.sql("""
                        select tenant_id, id, connection_id, body, attempts from webhook_events
                         where processed_at is null and next_attempt_at <= :now
                         order by next_attempt_at, received_at
                         limit 1
                           for update skip locked
                        """)
                        .param("now", Sql.ts(clock.instant()))
                        .query((rs, n) -> new Claimed(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "connection_id"),
                                rs.getString("body"), rs.getInt("attempts")))
                        .optional();
                if (event.isEmpty()) {
                    return false;
                }
                claimed[0] = event.get();
                try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(claimed[0].tenantId(), "WhatsApp"))) {
                    apply(claimed[0]);
                }
                jdbc.sql("update webhook_events set processed_at = :now, attempts = attempts + 1, last_error = null where tenant_id = :tenant and id = :id")
                        .param("now", Sql.ts(clock.instant())).param("tenant", claimed[0].tenantId()).param("id", claimed[0].id()).update();
                return true;
            });
            return Boolean.TRUE.equals(found);
        } catch (RuntimeException e) {
            if (claimed[0] == null) {
                log.error("Could not claim webhook events", e);
                return false;
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.warn("Webhook event {} failed (attempt {}), will retry: {}", claimed[0].id(), claimed[0].attempts() + 1, error);
            transaction.executeWithoutResult(status -> scheduleRetry(claimed[0], error));
            return true;
        }
    }

    private void scheduleRetry(Claimed event, String error) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), (long) Math.pow(2, Math.min(20, event.attempts())) * 5);
        jdbc.sql("""
                update webhook_events set attempts = attempts + 1, last_error = :error, next_attempt_at = :next
                 where tenant_id = :tenant and id = :id
                """)
                .param("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .param("next", Sql.ts(clock.instant().plusSeconds(seconds)))
                .param("tenant", event.tenantId()).param("id", event.id()).update();
    }

    private void apply(Claimed event) {
        JsonNode root = withoutNul(json.readTree(event.body()));
        Map<String, UUID> numbers = connectionsByNumber();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                String field = JsonFields.text(change, "field");
                JsonNode value = change.path("value");
                if ("message_template_status_update".equals(field)) {
                    templates.statusChanged(JsonFields.text(entry, "id"), JsonFields.text(value, "message_template_id"),
                            JsonFields.text(value, "message_template_name"), JsonFields.text(value, "message_template_language"),
                            JsonFields.text(value, "event"), JsonFields.text(value, "reason"),
                            blankToNull(JsonFields.text(value, "message_template_category")));
                    continue;
                }
                if (!"messages".equals(field)) {
                    // Other notices (quality, account updates) stay in the stored event.
                    continue;
                }
                String phoneNumberId = JsonFields.text(value.path("metadata"), "phone_number_id");
                UUID connection = numbers.get(phoneNumberId);
                if (connection == null) {
                    log.warn("Webhook event {} names phone number {} which is not connected to this workspace; skipped",
                            event.id(), phoneNumberId);
                    continue;
                }
                Map<String, String> profileNames = new HashMap<>();
                Map<String, String> userIds = new HashMap<>();
                for (JsonNode contact : value.path("contacts")) {
                    String waId = JsonFields.text(contact, "wa_id");
                    String userId = JsonFields.text(contact, "user_id");
                    String key = waId.isEmpty() ? userId : waId;
                    profileNames.put(key, JsonFields.text(contact.path("profile"), "name"));
                    userIds.put(key, userId);
                }
                for (JsonNode message : value.path("messages")) {
                    receive(connection, message, profileNames, userIds);
                }
                for (JsonNode status : value.path("statuses")) {
                    messages.applyStatus(status(status));
                }
                for (JsonNode error : value.path("errors")) {
                    log.warn("Meta reported an error for phone number {}: {} {}", phoneNumberId,
                            JsonFields.text(error, "code"), JsonFields.text(error, "title"));
                }
            }
        }
    }

    private void receive(UUID connection, JsonNode message, Map<String, String> profileNames, Map<String, String> userIds) {
        String type = JsonFields.text(message, "type");
        String from = JsonFields.text(message, "from");
        String fromUserId = JsonFields.text(message, "from_user_id");
        String key = from.isEmpty() ? fromUserId : from;
        Instant sentAt = timestamp(message);
        String userId = fromUserId.isEmpty() ? userIds.getOrDefault(key, "") : fromUserId;
        if ("system".equals(type)) {
            // The customer's identity changed: the same contact continues under the new one.
            JsonNode system = message.path("system");
            String kind = JsonFields.text(system, "type");
            if ("user_changed_number".equals(kind) && !from.isEmpty() && !JsonFields.text(system, "wa_id").isEmpty()) {
                contacts.changeNumber(from, JsonFields.text(system, "wa_id"));
                from = JsonFields.text(system, "wa_id");
            } else if ("user_changed_user_id".equals(kind) && !JsonFields.text(system, "user_id").isEmpty()) {
                contacts.changeUserId(from.isEmpty() ? null : from, userId, JsonFields.text(system, "user_id"));
                userId = JsonFields.text(system, "user_id");
            }
        }
        Contact contact = contacts.identify(new WhatsAppIdentity(from, userId, profileNames.get(key)));
        if ("reaction".equals(type)) {
            JsonNode reaction = message.path("reaction");
            messages.react(JsonFields.text(reaction, "message_id"), "contact:" + contact.id(),
                    JsonFields.text(reaction, "emoji"), JsonFields.text(message, "id"), sentAt);
            return;
        }
        messages.recordInbound(new InboundMessage(contact.id(), connection, JsonFields.text(message, "id"), type,
                InboundMessages.body(message), message.toString(), InboundMessages.replyTo(message),
                InboundMessages.forwarded(message), InboundMessages.frequentlyForwarded(message), sentAt));
    }

    private StatusUpdate status(JsonNode status) {
        JsonNode error = status.path("errors").path(0);
        boolean hasError = !error.isMissingNode();
        String explanation = null;
        if (hasError && error.has("code")) {
            // What the agent reads: Meta's code in plain words, with Meta's own details after it.
            explanation = GraphProblems.describe(hexa.whatsapp.graph.GraphErrors.explain(error.path("code").asInt(),
                    JsonFields.text(error.path("error_data"), "details")));
        }
        return new StatusUpdate(JsonFields.text(status, "id"),
                StatusUpdate.Status.valueOf(JsonFields.text(status, "status").toUpperCase(Locale.ROOT)),
                timestamp(status), JsonFields.text(status, "recipient_id"),
                status.has("errors") ? status.path("errors").toString() : null,
                status.has("pricing") ? status.path("pricing").toString() : null,
                hasError && error.has("code") ? error.path("code").asInt() : null,
                hasError ? JsonFields.text(error, "title") : null,
                explanation, ourMessageId(JsonFields.text(status, "biz_opaque_callback_data")));
    }

    /**
     * PostgreSQL cannot store the NUL character in text or JSON. A customer can still send one (in a
     * file name, say); it is dropped rather than letting the whole POST fail forever.
     */
    static JsonNode withoutNul(JsonNode node) {
        if (node.isObject()) {
            tools.jackson.databind.node.ObjectNode object = (tools.jackson.databind.node.ObjectNode) node;
            for (String name : new java.util.ArrayList<>(object.propertyNames())) {
                JsonNode child = object.get(name);
                object.set(name.indexOf('\u0000') >= 0 ? name.replace("\u0000", "") : name, withoutNul(child));
                if (name.indexOf('\u0000') >= 0) {
                    object.remove(name);
                }
            }
            return object;
        }
        if (node.isArray()) {
            tools.jackson.databind.node.ArrayNode array = (tools.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withoutNul(array.get(i)));
            }
            return array;
        }
        if (node.isString() && node.asString().indexOf('\u0000') >= 0) {
            return tools.jackson.databind.node.StringNode.valueOf(node.asString().replace("\u0000", ""));
        }
        return node;
    }

    /** Our message id, which the sender puts in biz_opaque_callback_data; anything else is someone else's. */
    private static UUID ourMessageId(String callbackData) {
        try {
            return callbackData.isEmpty() ? null : UUID.fromString(callbackData);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private Instant timestamp(JsonNode node) {
        String seconds = JsonFields.text(node, "timestamp");
        try {
            return seconds.isEmpty() ? clock.instant() : Instant.ofEpochSecond(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }

    private Map<String, UUID> connectionsByNumber() {
        Map<String, UUID> numbers = new HashMap<>();
        List<Map.Entry<String, UUID>> rows = jdbc.sql("""
                select phone_number_id, id from whatsapp_connections where tenant_id = :tenant and status <> 'DISCONNECTED'
                """)
                .param("tenant", TenantContext.tenantId())
                .query((rs, n) -> Map.entry(rs.getString("phone_number_id"), Sql.uuid(rs, "id")))
                .list();
        rows.forEach(row -> numbers.put(row.getKey(), row.getValue()));
        return numbers;
    }
}
