package hexa.whatsapp;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.contacts.WhatsAppIdentity;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns stored webhook events into contacts, conversations, messages and statuses. Events are
 * claimed a batch at a time with {@code FOR UPDATE SKIP LOCKED}, so any number of app nodes share the
 * work, and a batch is applied set-based in one transaction: it is either all applied and marked done,
 * or its events are tried one by one, each retried later with backoff if it fails again. Every entry,
 * change, message and status of a batched POST is handled, including changes for numbers that another
 * workspace connected under the same Meta app (see {@link ConnectionService#route}).
 */
@Component
class WebhookProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    /** Failed attempts of an event, on its own, before its changes are applied one by one (and parked if they fail). */
    static final int CHANGE_BY_CHANGE_AFTER = 3;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    /** A savepoint inside the running transaction: one change that fails is rolled back alone. */
    private final TransactionTemplate nested;
    private final ConnectionService connections;
    private final ContactService contacts;
    private final hexa.contacts.ConsentService consent;
    private final MessageLog messages;
    private final TemplateService templates;
    private final AccountNotices accountNotices;
    private final MeterRegistry meters;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final int workers;
    private final int batchSize;
    private final long lingerNanos;
    private final ExecutorService pool;
    private final AtomicInteger draining = new AtomicInteger();
    private final AtomicBoolean moreStored = new AtomicBoolean();

    WebhookProcessor(JdbcClient jdbc, TransactionTemplate transaction, ConnectionService connections, ContactService contacts,
                     hexa.contacts.ConsentService consent, MessageLog messages, TemplateService templates, AccountNotices accountNotices, MeterRegistry meters,
                     @Value("${hexa.whatsapp.webhook-workers:2}") int workers,
                     @Value("${hexa.whatsapp.webhook-batch:50}") int batchSize,
                     @Value("${hexa.whatsapp.webhook-linger:50ms}") java.time.Duration linger, Clock clock) {
        this.workers = Math.max(1, workers);
        this.lingerNanos = Math.max(0, linger.toNanos());
        this.batchSize = Math.max(1, batchSize);
        AtomicInteger names = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.workers, r -> {
            Thread thread = new Thread(r, "webhook-processor-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.nested = new TransactionTemplate(java.util.Objects.requireNonNull(transaction.getTransactionManager()));
        this.nested.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
        this.connections = connections;
        this.contacts = contacts;
        this.consent = consent;
        this.messages = messages;
        this.templates = templates;
        this.accountNotices = accountNotices;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Asks for the stored events to be processed soon, by up to the configured number of workers;
     * the regular sweep catches anything missed. Workers may run side by side: each event is claimed
     * with SKIP LOCKED, and every write is idempotent and order-independent.
     */
    void wake() {
        moreStored.set(true);
        while (true) {
            int running = draining.get();
            if (running >= workers) {
                return;
            }
            if (draining.compareAndSet(running, running + 1)) {
                pool.execute(() -> {
                    try {
                        // Let the POSTs of the next few milliseconds join this batch: at a few hundred POSTs a
                        // second that makes one transaction of many instead of one each, for less CPU per
                        // message in the app and in PostgreSQL, and far fewer commits beside the receiver's.
                        java.util.concurrent.locks.LockSupport.parkNanos(lingerNanos);
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

    /** Processes pending events until none is due, including any stored while the last batch was applied. */
    void drain() {
        while (moreStored.getAndSet(false)) {
            while (processBatch()) {
                // next batch
            }
        }
    }

    private record Claimed(UUID tenantId, UUID id, UUID connectionId, String body, int attempts) {
    }

    private static final String CLAIMED_COLUMNS = "select tenant_id, id, connection_id, body, attempts from webhook_events";

    private static Claimed claimed(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Claimed(Sql.uuid(rs, "tenant_id"), Sql.uuid(rs, "id"), Sql.uuid(rs, "connection_id"), rs.getString("body"), rs.getInt("attempts"));
    }

    /**
     * Claims up to a batch of due events and applies them together, set-based, in one transaction;
     * answers false when none was due. If the batch fails, each of its events is tried alone, so that
     * one event that cannot be processed is retried with backoff without holding back the others.
     */
    boolean processBatch() {
        List<Claimed> claimed = new ArrayList<>();
        Map<String, Integer> routed = new HashMap<>();
        try {
            transaction.executeWithoutResult(status -> {
                withoutWaitingForTheDisk();
                claimed.addAll(jdbc.sql(CLAIMED_COLUMNS + """
                         where processed_at is null and next_attempt_at <= :now
                         order by next_attempt_at, received_at
                         limit :limit
                           for update skip locked
                        """)
                        .param("now", Sql.ts(clock.instant())).param("limit", batchSize)
                        .query(WebhookProcessor::claimed).list());
                if (!claimed.isEmpty()) {
                    apply(claimed, routed);
                    markProcessed(claimed);
                }
            });
            countRoutes(routed);
        } catch (RuntimeException e) {
            if (claimed.isEmpty()) {
                log.error("Could not claim webhook events", e);
                return false;
            }
            if (claimed.size() == 1) {
                failedAlone(claimed.get(0), e);
            } else {
                log.info("A batch of {} webhook events failed ({}); processing them one at a time", claimed.size(), e.toString());
                claimed.forEach(this::processAlone);
            }
        }
        return !claimed.isEmpty();
    }

    /** One event on its own, if it is still pending and due; a failure schedules its retry. */
    private void processAlone(Claimed event) {
        Map<String, Integer> routed = new HashMap<>();
        try {
            transaction.executeWithoutResult(status -> {
                withoutWaitingForTheDisk();
                jdbc.sql(CLAIMED_COLUMNS + """
                                 where tenant_id = :tenant and id = :id and processed_at is null and next_attempt_at <= :now
                                   for update skip locked
                                """)
                        .param("tenant", event.tenantId()).param("id", event.id()).param("now", Sql.ts(clock.instant()))
                        .query(WebhookProcessor::claimed).optional()
                        .ifPresent(again -> {
                            apply(List.of(again), routed);
                            markProcessed(List.of(again));
                        });
            });
            countRoutes(routed);
        } catch (RuntimeException e) {
            failedAlone(event, e);
        }
    }

    /**
     * An event failed on its own. The first times it is retried later with backoff (a passing cause: a deadlock, the
     * database restarting); failing again after that, its changes are applied one by one and what still fails is parked.
     */
    private void failedAlone(Claimed event, RuntimeException e) {
        if (event.attempts() + 1 >= CHANGE_BY_CHANGE_AFTER) {
            processChangeByChange(event, e);
        } else {
            failed(event, e);
        }
    }

    /**
     * An event that failed on its own: applied change by change, each in a savepoint, parking what still fails, and
     * then done. Only when even that cannot run (the database is away) is the event retried later.
     */
    private void processChangeByChange(Claimed event, RuntimeException cause) {
        log.info("Webhook event {} failed on its own ({}); applying its changes one by one", event.id(), cause.toString());
        Map<String, Integer> routed = new HashMap<>();
        try {
            transaction.executeWithoutResult(status -> {
                withoutWaitingForTheDisk();
                jdbc.sql(CLAIMED_COLUMNS + """
                                 where tenant_id = :tenant and id = :id and processed_at is null
                                   for update skip locked
                                """)
                        .param("tenant", event.tenantId()).param("id", event.id())
                        .query(WebhookProcessor::claimed).optional()
                        .ifPresent(again -> {
                            applyChangeByChange(again, routed);
                            markProcessed(List.of(again));
                        });
            });
            countRoutes(routed);
        } catch (RuntimeException e) {
            failed(event, e);
        }
    }

    /**
     * Processing commits without waiting for its WAL to reach the disk. This is safe because the raw
     * events were committed durably before Meta got its 200: if the server crashed in the instant after
     * such a commit, the messages and the events' "processed" mark would be lost together, atomically,
     * and the events processed again (idempotently) after the restart. Anything that acts outside the
     * database on what processing wrote (a sender calling Meta, say) commits durably itself, which
     * flushes this earlier commit too. What it buys: the acknowledging path's group commits no longer
     * queue behind processing's flushes.
     */
    private void withoutWaitingForTheDisk() {
        jdbc.sql("set local synchronous_commit = off").update();
    }

    private void markProcessed(List<Claimed> events) {
        JsonRows ids = new JsonRows();
        events.forEach(event -> ids.add().put("tenant", event.tenantId()).put("id", event.id()));
        jdbc.sql("""
                update webhook_events e set processed_at = :now, attempts = attempts + 1, last_error = null
                  from json_to_recordset(cast(:ids as json)) as r(tenant uuid, id uuid)
                 where e.tenant_id = r.tenant and e.id = r.id
                """)
                .param("now", Sql.ts(clock.instant())).param("ids", ids.json()).update();
    }

    private void failed(Claimed event, RuntimeException e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("Webhook event {} failed (attempt {}), will retry: {}", event.id(), event.attempts() + 1, error);
        try {
            transaction.executeWithoutResult(status -> scheduleRetry(event, error));
        } catch (RuntimeException again) {
            log.error("Could not schedule the retry of webhook event {}", event.id(), again);
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

    /**
     * Applies events in order. Customers' messages are gathered per workspace and written together
     * (one identification of all their contacts, one insert of all the messages); anything that could
     * change who a customer is (a changed number or user id) first writes what was gathered, so the
     * outcome is the same as applying every message one by one.
     */
    private void apply(List<Claimed> events, Map<String, Integer> routed) {
        Gathered gathered = new Gathered();
        Map<String, ConnectionService.Route> routes = new HashMap<>();
        for (Claimed event : events) {
            JsonNode root = withoutNul(json.readTree(event.body()));
            for (JsonNode entry : root.path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    applyChange(event, entry, change, gathered, routes, routed);
                }
            }
        }
        gathered.writeAll();
    }

    /**
     * The last resort for an event that failed on its own too: each of its changes is applied in a savepoint of its
     * own, with its messages written at once, and a change that still fails is parked with the reason. The event is
     * then done: what could be applied is, nothing is retried forever, nothing waits behind a change we cannot apply.
     */
    private void applyChangeByChange(Claimed event, Map<String, Integer> routed) {
        Map<String, ConnectionService.Route> routes = new HashMap<>();
        JsonNode root;
        try {
            root = withoutNul(json.readTree(event.body()));
        } catch (RuntimeException e) {
            park(event, "body", json.getNodeFactory().stringNode(event.body()), "A body that is not JSON: " + e.getMessage());
            return;
        }
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                Map<String, Integer> changeRoutes = new HashMap<>();
                try {
                    nested.executeWithoutResult(status -> {
                        Gathered gathered = new Gathered();
                        applyChange(event, entry, change, gathered, routes, changeRoutes);
                        gathered.writeAll();
                    });
                    changeRoutes.forEach((route, count) -> routed.merge(route, count, Integer::sum));
                } catch (RuntimeException e) {
                    routes.clear();
                    // The most specific cause says what went wrong (the database's message, not the statement).
                    Throwable cause = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e);
                    tools.jackson.databind.node.ObjectNode kept = ((tools.jackson.databind.node.ObjectNode) change).deepCopy();
                    kept.put(ENTRY_ID, JsonFields.text(entry, "id"));
                    park(event, "change", kept, "Could not be applied: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                }
            }
        }
    }

    private void applyChange(Claimed event, JsonNode entry, JsonNode change, Gathered gathered, Map<String, ConnectionService.Route> routes,
                             Map<String, Integer> routed) {
        String field = JsonFields.text(change, "field");
        JsonNode value = change.path("value");
        if ("message_template_status_update".equals(field)) {
            inWorkspace(event.tenantId(), () -> templates.statusChanged(JsonFields.text(entry, "id"),
                    JsonFields.text(value, "message_template_id"), JsonFields.text(value, "message_template_name"),
                    JsonFields.text(value, "message_template_language"), JsonFields.text(value, "event"),
                    JsonFields.text(value, "reason"), blankToNull(JsonFields.text(value, "message_template_category")),
                    blankToNull(JsonFields.text(value.path("rejection_info"), "reason") != null && !JsonFields.text(value.path("rejection_info"), "reason").isBlank()
                            ? JsonFields.text(value.path("rejection_info"), "reason") : JsonFields.text(value.path("other_info"), "description"))));
            return;
        }
        if ("message_template_quality_update".equals(field)) {
            inWorkspace(event.tenantId(), () -> templates.qualityChanged(JsonFields.text(entry, "id"),
                    JsonFields.text(value, "message_template_id"), JsonFields.text(value, "message_template_name"),
                    JsonFields.text(value, "message_template_language"), JsonFields.text(value, "new_quality_score")));
            return;
        }
        if ("template_category_update".equals(field)) {
            inWorkspace(event.tenantId(), () -> templates.categoryChanged(JsonFields.text(entry, "id"),
                    JsonFields.text(value, "message_template_id"), JsonFields.text(value, "message_template_name"),
                    JsonFields.text(value, "message_template_language"), blankToNull(JsonFields.text(value, "new_category")),
                    blankToNull(JsonFields.text(value, "previous_category"))));
            return;
        }
        if ("account_update".equals(field)) {
            // About the WhatsApp Business Account (entry.id), not a number: kept for the Admins when it restricts or ends it.
            String time = JsonFields.text(entry, "time");
            Instant at = time.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(time)) : clock.instant();
            inWorkspace(event.tenantId(), () -> accountNotices.apply(JsonFields.text(entry, "id"), value, at));
            return;
        }
        if (!"messages".equals(field) && !"user_preferences".equals(field) && !"smb_message_echoes".equals(field)
                && !"smb_app_state_sync".equals(field)) {
            // Other notices (quality, account updates) stay in the stored event.
            return;
        }
        String phoneNumberId = JsonFields.text(value.path("metadata"), "phone_number_id");
        ConnectionService.Route route = routes.computeIfAbsent(event.connectionId() + "|" + phoneNumberId,
                k -> connections.route(event.tenantId(), event.connectionId(), phoneNumberId));
        routed.merge(route.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        if (!route.applies()) {
            log.warn("Webhook event {} names phone number {} which is {}; skipped", event.id(), phoneNumberId,
                    route.outcome() == ConnectionService.Route.Outcome.NOT_CONNECTED ? "not connected to any workspace"
                            : route.outcome() == ConnectionService.Route.Outcome.SHARED_APP_UNAPPROVED
                            ? "connected in another workspace under the same Meta app, whose Owner has not approved this callback"
                            : "connected in another workspace under another Meta app");
            return;
        }
        if (route.outcome() == ConnectionService.Route.Outcome.SHARED_APP) {
            log.debug("Webhook event {} of workspace {} carries a change for number {} of workspace {} (same Meta app)",
                    event.id(), event.tenantId(), phoneNumberId, route.tenantId());
        }
        if ("user_preferences".equals(field)) {
            for (JsonNode preference : value.path("user_preferences")) {
                applyPreference(event, route, change, preference);
            }
            return;
        }
        if ("smb_message_echoes".equals(field) || "smb_app_state_sync".equals(field)) {
            // Meta sends these only for a number onboarded for coexistence: it is one, whatever the setting said.
            inWorkspace(route.tenantId(), () -> connections.coexistenceSeen(route.connectionId()));
            // What came before is written first, so that an echo's edit finds the message it edits.
            gathered.write(route.tenantId());
            if ("smb_message_echoes".equals(field)) {
                for (JsonNode echo : value.path("message_echoes")) {
                    applyEcho(event, route, change, echo);
                }
            } else {
                for (JsonNode sync : value.path("state_sync")) {
                    applyStateSync(event, route, change, sync);
                }
            }
            return;
        }
        Map<String, String> profileNames = new HashMap<>();
        Map<String, String> userIds = new HashMap<>();
        List<String> contactUserIds = new ArrayList<>();
        for (JsonNode contact : value.path("contacts")) {
            String waId = JsonFields.text(contact, "wa_id");
            String userId = JsonFields.text(contact, "user_id");
            String key = waId.isEmpty() ? userId : waId;
            profileNames.put(key, JsonFields.text(contact.path("profile"), "name"));
            userIds.put(key, userId);
            if (!userId.isEmpty()) {
                contactUserIds.add(userId);
            }
        }
        for (JsonNode message : value.path("messages")) {
            // A message we cannot read is parked; the others of the change are applied.
            Optional<String> problem = unreadable(message, contactUserIds);
            if (problem.isPresent()) {
                park(event, "message", narrowed(change, "messages", message), problem.get());
                continue;
            }
            String type = JsonFields.text(message, "type");
            if ("edit".equals(type) || "revoke".equals(type)) {
                applyCustomersChange(event, route, change, message, profileNames, userIds, contactUserIds, gathered);
                continue;
            }
            receive(route, message, profileNames, userIds, contactUserIds, gathered);
        }
        for (JsonNode status : value.path("statuses")) {
            StatusUpdate update;
            try {
                update = status(status);
            } catch (RuntimeException e) {
                // A status value Meta's older APIs sent, or one added since: kept, never applied, never thrown.
                park(event, "status", narrowed(change, "statuses", status), "Status not understood: " + e.getMessage());
                continue;
            }
            inWorkspace(route.tenantId(), () -> messages.applyStatus(update).ifPresent(item -> gathered.status(route.tenantId(), item)));
        }
        for (JsonNode error : value.path("errors")) {
            log.warn("Meta reported an error for phone number {}: {} {}", phoneNumberId,
                    JsonFields.text(error, "code"), JsonFields.text(error, "title"));
        }
    }

    /**
     * A person stopped or resumed marketing messages in WhatsApp's own settings: their marketing consent follows, in
     * the ledger with the source "WhatsApp setting", as a STOP keyword would (no reply is sent: they used WhatsApp, not
     * a message). Other categories are acknowledged and left in the stored event; one naming nobody is parked.
     */
    private void applyPreference(Claimed event, ConnectionService.Route route, JsonNode change, JsonNode preference) {
        if (!"marketing_messages".equals(JsonFields.text(preference, "category"))) {
            return;
        }
        String wanted = JsonFields.text(preference, "value");
        hexa.contacts.ConsentService.Status status = "stop".equals(wanted) ? hexa.contacts.ConsentService.Status.OPTED_OUT
                : "resume".equals(wanted) ? hexa.contacts.ConsentService.Status.OPTED_IN : null;
        String waId = JsonFields.text(preference, "wa_id");
        String userId = JsonFields.text(preference, "user_id");
        if (status == null || (waId.isEmpty() && userId.isEmpty())) {
            park(event, "change", narrowed(change, "user_preferences", preference),
                    status == null ? "A marketing preference neither stop nor resume: " + wanted : "A preference that names nobody");
            return;
        }
        String detail = JsonFields.text(preference, "detail");
        inWorkspace(route.tenantId(), () -> {
            Contact contact = contacts.identify(new WhatsAppIdentity(waId, userId, null));
            consent.record(contact.id(), status, hexa.contacts.ConsentService.Source.WHATSAPP_SETTING, detail.isEmpty() ? null : detail);
        });
    }

    /**
     * A customer edited or deleted a message: applied to the original (written first if it was gathered in this batch),
     * never stored as a new message nor told as one (no automation answers it). One that names no original, or
     * another person's message, is parked with the reason.
     */
    private void applyCustomersChange(Claimed event, ConnectionService.Route route, JsonNode change, JsonNode message,
                                      Map<String, String> profileNames, Map<String, String> userIds, List<String> contactUserIds,
                                      Gathered gathered) {
        String from = JsonFields.text(message, "from");
        String fromUserId = JsonFields.text(message, "from_user_id");
        if (from.isEmpty() && fromUserId.isEmpty()) {
            fromUserId = contactUserIds.get(0);
        }
        String key = from.isEmpty() ? fromUserId : from;
        String userId = fromUserId.isEmpty() ? userIds.getOrDefault(key, "") : fromUserId;
        WhatsAppIdentity identity = new WhatsAppIdentity(from, userId, profileNames.get(key));
        Optional<MessageChange.Kind> kind = changeKind(message);
        Optional<String> problem = changeProblem(message);
        if (problem.isPresent()) {
            park(event, "message", narrowed(change, "messages", message), problem.get());
            return;
        }
        gathered.write(route.tenantId());
        inWorkspace(route.tenantId(), () -> {
            Contact contact = contacts.identify(identity);
            MessageChange.Outcome outcome = messages.applyChange(messageChange(kind.orElseThrow(), message, contact.id(), route.connectionId(),
                    MessageDirection.INBOUND));
            if (outcome == MessageChange.Outcome.NOT_THE_SENDERS) {
                park(event, "message", narrowed(change, "messages", message),
                        "The " + JsonFields.text(message, "type") + " names a message its sender did not send");
            }
        });
    }

    private static Optional<MessageChange.Kind> changeKind(JsonNode message) {
        String type = JsonFields.text(message, "type");
        return "edit".equals(type) ? Optional.of(MessageChange.Kind.EDIT)
                : "revoke".equals(type) ? Optional.of(MessageChange.Kind.REVOKE) : Optional.empty();
    }

    /** Why an edit or a deletion cannot be applied, if it cannot: it names no original, or an edit holds no message. */
    private static Optional<String> changeProblem(JsonNode message) {
        String type = JsonFields.text(message, "type");
        JsonNode object = message.path(type);
        if (JsonFields.text(object, "original_message_id").isEmpty()) {
            return Optional.of("A " + type + " that names no original message");
        }
        if ("edit".equals(type) && !object.path("message").isObject()) {
            return Optional.of("An edit without the edited message");
        }
        return Optional.empty();
    }

    private MessageChange messageChange(MessageChange.Kind kind, JsonNode message, UUID contactId, UUID connectionId, MessageDirection direction) {
        JsonNode object = message.path(JsonFields.text(message, "type"));
        String text = kind == MessageChange.Kind.EDIT ? InboundMessages.body(object.path("message")) : null;
        return new MessageChange(kind, contactId, connectionId, direction, JsonFields.text(message, "id"),
                JsonFields.text(object, "original_message_id"), text, message.toString(), timestamp(message));
    }

    /**
     * A message the business sent from the WhatsApp Business app (coexistence): stored once as an outbound message in
     * the customer's conversation, sent "from the phone", or, for an edit or a deletion there, applied to the message
     * it changes. Nothing is sent and nothing answers it.
     */
    private void applyEcho(Claimed event, ConnectionService.Route route, JsonNode change, JsonNode echo) {
        String to = echo.isObject() ? JsonFields.text(echo, "to").replaceAll("[^0-9]", "") : "";
        if (!echo.isObject() || JsonFields.text(echo, "id").isEmpty() || to.isEmpty()) {
            park(event, "message", narrowed(change, "message_echoes", echo),
                    !echo.isObject() ? "An echo that is not an object" : to.isEmpty() ? "An echo that names no customer (to)" : "An echo without an id");
            return;
        }
        Optional<MessageChange.Kind> kind = changeKind(echo);
        if (kind.isPresent()) {
            Optional<String> problem = changeProblem(echo);
            if (problem.isPresent()) {
                park(event, "message", narrowed(change, "message_echoes", echo), problem.get());
                return;
            }
        }
        inWorkspace(route.tenantId(), () -> {
            Contact contact = contacts.identify(new WhatsAppIdentity(to, null, null));
            if (kind.isPresent()) {
                MessageChange.Outcome outcome = messages.applyChange(messageChange(kind.get(), echo, contact.id(), route.connectionId(),
                        MessageDirection.OUTBOUND));
                if (outcome == MessageChange.Outcome.NOT_THE_SENDERS) {
                    park(event, "message", narrowed(change, "message_echoes", echo),
                            "The echoed " + JsonFields.text(echo, "type") + " names a message the business did not send to this customer");
                }
                return;
            }
            messages.recordEcho(new EchoedMessage(contact.id(), route.connectionId(), JsonFields.text(echo, "id"), JsonFields.text(echo, "type"),
                    InboundMessages.body(echo), echo.toString(), blankToNull(InboundMessages.replyTo(echo)), timestamp(echo)));
        });
    }

    /**
     * A contact of the WhatsApp Business app's address book (coexistence): added or edited, the contact of that number
     * is created or named by it (a name the team gave stays); removed, only the address-book name goes. Other kinds of
     * state are acknowledged and left in the stored event.
     */
    private void applyStateSync(Claimed event, ConnectionService.Route route, JsonNode change, JsonNode sync) {
        if (!"contact".equals(JsonFields.text(sync, "type"))) {
            return;
        }
        JsonNode contact = sync.path("contact");
        String phone = JsonFields.text(contact, "phone_number").replaceAll("[^0-9]", "");
        String action = JsonFields.text(sync, "action");
        if (phone.isEmpty() || !"add".equals(action) && !"remove".equals(action)) {
            park(event, "change", narrowed(change, "state_sync", sync),
                    phone.isEmpty() ? "An address book contact without a phone number" : "An address book action neither add nor remove: " + action);
            return;
        }
        inWorkspace(route.tenantId(), () -> {
            if ("add".equals(action)) {
                String fullName = JsonFields.text(contact, "full_name");
                contacts.addressBookNamed(phone, fullName.isBlank() ? JsonFields.text(contact, "first_name") : fullName);
            } else {
                contacts.addressBookRemoved(phone);
            }
        });
    }

    /** Why a customer's message cannot be read at all, if it cannot: no sender, no id. */
    private static Optional<String> unreadable(JsonNode message, List<String> contactUserIds) {
        if (!message.isObject()) {
            return Optional.of("A message that is not an object");
        }
        if (JsonFields.text(message, "id").isEmpty()) {
            return Optional.of("A message without an id");
        }
        if (JsonFields.text(message, "from").isEmpty() && JsonFields.text(message, "from_user_id").isEmpty() && contactUserIds.size() != 1) {
            return Optional.of("A message whose sender is named neither by from, nor by from_user_id, nor by the change's one contact");
        }
        return Optional.empty();
    }

    /** The change with only this message or status in it (and its contacts and metadata), to keep and apply on its own. */
    private static JsonNode narrowed(JsonNode change, String list, JsonNode item) {
        tools.jackson.databind.node.ObjectNode copy = ((tools.jackson.databind.node.ObjectNode) change).deepCopy();
        tools.jackson.databind.node.ObjectNode value = copy.path("value").isObject()
                ? (tools.jackson.databind.node.ObjectNode) copy.get("value") : copy.putObject("value");
        value.remove("messages");
        value.remove("statuses");
        value.putArray(list).add(item);
        return copy;
    }

    /** A parked change keeps the id of the entry it came in (the WhatsApp Business Account of a template update). */
    private static final String ENTRY_ID = "hexa_entry_id";

    /** While a parked part is applied again: the reasons it would be parked for again, instead of parking it twice. */
    private final ThreadLocal<List<String>> parkingAgain = new ThreadLocal<>();

    /** Keeps what could not be applied, with the reason, in the receiving workspace; counted for operators. */
    private void park(Claimed event, String part, JsonNode item, String reason) {
        String why = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        List<String> again = parkingAgain.get();
        if (again != null) {
            again.add(why);
            return;
        }
        String field = JsonFields.text(item, "field").isEmpty() ? "unknown" : JsonFields.text(item, "field");
        log.warn("Webhook event {}: a {} was parked: {}", event.id(), part, why);
        jdbc.sql("""
                insert into webhook_parked_changes (tenant_id, id, event_id, connection_id, part, field, phone_number_id, item, reason, parked_at)
                values (:tenant, :id, :event, :connection, :part, :field, :number, cast(:item as jsonb), :reason, :now)
                """)
                .param("tenant", event.tenantId()).param("id", hexa.platform.Ids.newId()).param("event", event.id())
                .param("connection", event.connectionId()).param("part", part).param("field", field)
                .param("number", blankToNull(JsonFields.text(item.path("value").path("metadata"), "phone_number_id")))
                .param("item", item.toString()).param("reason", why).param("now", Sql.ts(clock.instant())).update();
        meters.counter("hexa.whatsapp.webhook.parked", "part", part).increment();
    }

    /**
     * Applies a parked part again (after an upgrade that understands it, or once what refused it is fixed), in a
     * savepoint of the caller's transaction: answers empty when it was applied, else why it still cannot be (it
     * stays parked, nothing of it is kept).
     */
    Optional<String> applyAgain(UUID tenantId, UUID eventId, UUID connectionId, String part, JsonNode item) {
        if ("body".equals(part)) {
            return Optional.of("A body that is not JSON cannot be applied");
        }
        Claimed event = new Claimed(tenantId, eventId, connectionId, "", 0);
        List<String> reasons = new ArrayList<>();
        parkingAgain.set(reasons);
        try {
            nested.executeWithoutResult(status -> {
                Gathered gathered = new Gathered();
                applyChange(event, json.createObjectNode().put("id", JsonFields.text(item, ENTRY_ID)), item, gathered, new HashMap<>(), new HashMap<>());
                gathered.writeAll();
                if (!reasons.isEmpty()) {
                    status.setRollbackOnly();
                }
            });
        } catch (RuntimeException e) {
            Throwable cause = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e);
            reasons.add("Could not be applied: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } finally {
            parkingAgain.remove();
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(reasons.get(0));
    }

    /**
     * Counts the changes of a committed batch by how they were routed. Counted only after the commit:
     * a batch that fails is applied again event by event, and its changes must not count twice.
     */
    private void countRoutes(Map<String, Integer> routed) {
        routed.forEach((route, count) -> meters.counter("hexa.whatsapp.webhook.changes", "route", route).increment(count));
    }

    private void receive(ConnectionService.Route route, JsonNode message, Map<String, String> profileNames, Map<String, String> userIds,
                         List<String> contactUserIds, Gathered gathered) {
        String type = JsonFields.text(message, "type");
        String from = JsonFields.text(message, "from");
        String fromUserId = JsonFields.text(message, "from_user_id");
        if (from.isEmpty() && fromUserId.isEmpty()) {
            // Named only by the change's one contact's user id (a BSUID without a phone number).
            fromUserId = contactUserIds.get(0);
        }
        String key = from.isEmpty() ? fromUserId : from;
        Instant sentAt = timestamp(message);
        String userId = fromUserId.isEmpty() ? userIds.getOrDefault(key, "") : fromUserId;
        if ("system".equals(type)) {
            // The customer's identity changed: the same contact continues under the new one. What came
            // before is written first, under the old identity.
            gathered.write(route.tenantId());
            JsonNode system = message.path("system");
            String kind = JsonFields.text(system, "type");
            // Older webhook versions name the new number new_wa_id.
            String newWaId = JsonFields.text(system, "wa_id").isEmpty() ? JsonFields.text(system, "new_wa_id") : JsonFields.text(system, "wa_id");
            if ("user_changed_number".equals(kind) && !from.isEmpty() && !newWaId.isEmpty()) {
                String oldWaId = from;
                inWorkspace(route.tenantId(), () -> contacts.changeNumber(oldWaId, newWaId));
                from = newWaId;
            } else if ("user_changed_user_id".equals(kind) && !JsonFields.text(system, "user_id").isEmpty()) {
                String waId = from.isEmpty() ? null : from;
                String oldUserId = userId;
                inWorkspace(route.tenantId(), () -> contacts.changeUserId(waId, oldUserId, JsonFields.text(system, "user_id")));
                userId = JsonFields.text(system, "user_id");
            }
        }
        WhatsAppIdentity identity = new WhatsAppIdentity(from, userId, profileNames.get(key));
        if ("reaction".equals(type)) {
            JsonNode reaction = message.path("reaction");
            inWorkspace(route.tenantId(), () -> {
                Contact contact = contacts.identify(identity);
                messages.react(JsonFields.text(reaction, "message_id"), "contact:" + contact.id(),
                        JsonFields.text(reaction, "emoji"), JsonFields.text(message, "id"), sentAt);
            });
            return;
        }
        gathered.add(route.tenantId(), new Gathered.Inbound(identity, route.connectionId(), JsonFields.text(message, "id"), type,
                InboundMessages.body(message), message.toString(), InboundMessages.replyTo(message),
                InboundMessages.forwarded(message), InboundMessages.frequentlyForwarded(message), sentAt,
                InboundMessages.texts(message), InboundMessage.Details.of(message)));
    }

    /** Customers' messages waiting to be written together, per workspace, in the order they came. */
    private final class Gathered {

        record Inbound(WhatsAppIdentity identity, UUID connectionId, String wamid, String type, String body, String content,
                       String replyToWamid, boolean forwarded, boolean frequentlyForwarded, Instant sentAt, List<String> texts,
                       InboundMessage.Details details) {
        }

        private final Map<UUID, List<Inbound>> byWorkspace = new LinkedHashMap<>();
        private final Map<UUID, List<MessageStatusesChanged.Item>> statuses = new LinkedHashMap<>();

        void add(UUID tenantId, Inbound message) {
            byWorkspace.computeIfAbsent(tenantId, t -> new ArrayList<>()).add(message);
        }

        /**
         * Writes one workspace's gathered messages: all their contacts identified at once, then all the
         * messages (the new ones are published as one {@link InboundMessagesReceived}).
         */
        void write(UUID tenantId) {
            List<Inbound> pending = byWorkspace.remove(tenantId);
            if (pending == null || pending.isEmpty()) {
                return;
            }
            inWorkspace(tenantId, () -> {
                List<UUID> contactIds = contacts.identifyAll(pending.stream().map(Inbound::identity).toList());
                List<InboundMessage> inbound = new ArrayList<>(pending.size());
                for (int i = 0; i < pending.size(); i++) {
                    Inbound m = pending.get(i);
                    inbound.add(new InboundMessage(contactIds.get(i), m.connectionId(), m.wamid(), m.type(), m.body(), m.content(),
                            m.replyToWamid(), m.forwarded(), m.frequentlyForwarded(), m.sentAt(), m.texts(), m.details()));
                }
                messages.recordNewInbound(inbound);
            });
        }

        /** A status recorded for the first time, published with the batch's others when all is written. */
        void status(UUID tenantId, MessageStatusesChanged.Item status) {
            statuses.computeIfAbsent(tenantId, t -> new ArrayList<>()).add(status);
        }

        void writeAll() {
            for (UUID tenantId : new ArrayList<>(byWorkspace.keySet())) {
                write(tenantId);
            }
            // One event per workspace for the whole batch's statuses (see MessageStatusesChanged for why).
            statuses.forEach(messages::statusesRecorded);
            statuses.clear();
        }
    }

    private static void inWorkspace(UUID tenantId, Runnable work) {
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(tenantId, "WhatsApp"))) {
            work.run();
        }
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
        } catch (NumberFormatException | java.time.DateTimeException e) {
            // Not a time (or none that can be): when it reached us will do.
            return clock.instant();
        }
    }
}
