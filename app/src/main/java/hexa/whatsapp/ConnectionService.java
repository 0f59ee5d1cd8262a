package hexa.whatsapp;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.Ids;
import hexa.platform.crypto.SecretBox;
import hexa.platform.crypto.TenantTokens;
import hexa.platform.crypto.Tokens;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.PublicUrl;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.whatsapp.graph.GraphApiException;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import hexa.whatsapp.graph.GraphSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import static hexa.whatsapp.JsonFields.text;
import tools.jackson.databind.JsonNode;

/**
 * Connects a workspace's WhatsApp numbers: through a Meta app, or in one click to the sandbox.
 * Secrets are sealed at rest and never shown again; the callback URL and verify token are what an
 * Admin pastes into Meta's dashboard.
 */
@Service
public class ConnectionService {

    static final String CALLBACK_KEY_PREFIX = "wh_";
    static final int DEFAULT_MESSAGES_PER_SECOND = 80;

    private final Connections connections;
    private final SecretBox secrets;
    private final PublicUrl publicUrl;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final ObjectProvider<SandboxNumbers> sandbox;
    private final GraphClient graph;
    private final GraphSettings graphSettings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final long receiverTtlNanos;

    /** A number was connected in the current workspace (its templates can be read now). */
    public record NumberConnected(UUID connectionId) {
    }

    private final org.springframework.context.ApplicationEventPublisher events;

    ConnectionService(Connections connections, SecretBox secrets, PublicUrl publicUrl, AuditTrail audit,
                      TransactionTemplate transaction, ObjectProvider<SandboxNumbers> sandbox, GraphClient graph,
                      GraphSettings graphSettings, Clock clock,
                      @Value("${hexa.whatsapp.callback-cache-ttl:5s}") Duration receiverTtl,
                      org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.receiverTtlNanos = receiverTtl.toNanos();
        this.connections = connections;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
        this.audit = audit;
        this.transaction = transaction;
        this.sandbox = sandbox;
        this.graph = graph;
        this.graphSettings = graphSettings;
        this.clock = clock;
    }

    /** A connection as Admins see it: everything but the app secret and the access token. */
    public record View(UUID id, Connection.Kind kind, String phoneNumberId, String displayPhoneNumber, String verifiedName,
                       String wabaId, String appId, String callbackUrl, String verifyToken, Connection.Status status,
                       String statusDetail, Instant checkedAt, Instant createdAt) {
    }

    public List<View> connections() {
        return connections.all(TenantContext.tenantId()).stream().map(this::view).toList();
    }

    public View connection(UUID id) {
        return view(connections.find(TenantContext.tenantId(), id).orElseThrow(NotFoundException::new));
    }

    /** How many messages a second the number may send (its throughput tier as Meta reports it). */
    public int messagesPerSecond(UUID id) {
        return connections.find(TenantContext.tenantId(), id).orElseThrow(NotFoundException::new).messagesPerSecond();
    }

    public boolean sandboxAvailable() {
        return sandbox.getIfAvailable() != null;
    }

    /**
     * Creates a sandbox number for this workspace and connects it: the sandbox plays Meta, calls our
     * webhook with the handshake and then sends its events there.
     */
    public View connectSandbox() {
        SandboxNumbers numbers = sandbox.getIfAvailable();
        if (numbers == null) {
            throw new UserError(HttpStatus.CONFLICT, "sandbox_disabled", "whatsapp.sandbox.disabled");
        }
        UUID tenant = TenantContext.tenantId();
        String appSecret = Tokens.random(24);
        String verifyToken = Tokens.random(18);
        String accessToken = "EAAsandbox" + Tokens.random(24);
        String phoneNumberId = digits(16);
        String wabaId = digits(16);
        String display = "1555" + digits(7);
        Connection connection = newConnection(tenant, Connection.Kind.SANDBOX, "sandbox", appSecret, accessToken, wabaId,
                phoneNumberId, display, "Hexa Sandbox " + display.substring(display.length() - 4), publicUrl.base() + "/sandbox/graph", verifyToken);
        save(connection);
        numbers.register(phoneNumberId, wabaId, display, accessToken, appSecret, publicUrl.base() + connection.callbackPath(), verifyToken);
        events.publishEvent(new NumberConnected(connection.id()));
        return view(connection);
    }

    /** What an Admin enters to connect a Meta app: all of it is needed. */
    public record MetaApp(String appId, String appSecret, String accessToken, String wabaId) {
        public MetaApp {
            appId = trim(appId);
            appSecret = trim(appSecret);
            accessToken = trim(accessToken);
            wabaId = trim(wabaId);
        }

        void requireComplete() {
            if (appId.isEmpty() || appSecret.isEmpty() || accessToken.isEmpty() || wabaId.isEmpty()) {
                throw UserError.invalid("whatsapp.meta.incomplete");
            }
        }

        private static String trim(String s) {
            return s == null ? "" : s.strip();
        }
    }

    /** A phone number of the WABA, as Meta lists it. */
    public record AvailableNumber(String phoneNumberId, String displayPhoneNumber, String verifiedName, boolean connectedHere) {
    }

    /** The numbers of a Meta app's WABA, read with its token; a failure is explained in plain words. */
    public List<AvailableNumber> numbersOf(MetaApp app) {
        app.requireComplete();
        List<JsonNode> numbers;
        try {
            numbers = graph.phoneNumbers(metaEndpoint(app.accessToken()), app.wabaId());
        } catch (GraphApiException e) {
            throw graphProblem(e);
        }
        List<String> mine = connections.all(TenantContext.tenantId()).stream().map(Connection::phoneNumberId).toList();
        return numbers.stream()
                .map(n -> new AvailableNumber(text(n, "id"), digitsOf(text(n, "display_phone_number")), text(n, "verified_name"),
                        mine.contains(text(n, "id"))))
                .toList();
    }

    /** Connects one number of a Meta app, after checking with the Graph API that the app can use it. */
    public View connectMeta(MetaApp app, String phoneNumberId) {
        AvailableNumber number = numbersOf(app).stream().filter(n -> n.phoneNumberId().equals(phoneNumberId == null ? "" : phoneNumberId.strip()))
                .findFirst()
                .orElseThrow(() -> new UserError(HttpStatus.UNPROCESSABLE_ENTITY, "number_not_in_waba", "whatsapp.meta.number-not-in-waba",
                        phoneNumberId, app.wabaId()));
        Connection connection = newConnection(TenantContext.tenantId(), Connection.Kind.META, app.appId(), app.appSecret(),
                app.accessToken(), app.wabaId(), number.phoneNumberId(), number.displayPhoneNumber(), number.verifiedName(),
                metaGraphUrl(), Tokens.random(18));
        save(connection);
        events.publishEvent(new NumberConnected(connection.id()));
        return view(connection);
    }

    /** The outcome of "Check connection", in words an Admin can act on. */
    public record CheckResult(boolean ok, String explanation) {
    }

    /**
     * Asks the Graph API about the number with the stored token. A token that expired or lost a
     * permission marks the connection as needing attention, visibly, instead of failing later message
     * by message.
     */
    public CheckResult check(UUID id) {
        UUID tenant = TenantContext.tenantId();
        Connection connection = connections.find(tenant, id).orElseThrow(NotFoundException::new);
        GraphEndpoint endpoint = new GraphEndpoint(connection.graphUrl(), graphSettings.apiVersion(), accessToken(connection));
        try {
            JsonNode number = graph.phoneNumber(endpoint, connection.phoneNumberId());
            connections.recordCheck(tenant, id, Connection.Status.CONNECTED, null,
                    blankToNull(digitsOf(text(number, "display_phone_number"))), blankToNull(text(number, "verified_name")), clock.instant());
            MessagingLimits.parse(number).ifPresent(limit -> connections.recordMessagingLimit(tenant, id, limit.orElse(null), clock.instant()));
            return new CheckResult(true, Text.t("whatsapp.check.ok", connection.displayPhoneNumber()));
        } catch (GraphApiException e) {
            String explanation = explain(e);
            connections.recordCheck(tenant, id, Connection.Status.NEEDS_ATTENTION, explanation, null, null, clock.instant());
            audit.record(AuditEntry.of("whatsapp.needs_attention").target("whatsapp_number", id, connection.displayPhoneNumber())
                    .details(Map.of("code", String.valueOf(e.failure().code()), "reason", e.kind().name())));
            return new CheckResult(false, explanation);
        }
    }

    private GraphEndpoint metaEndpoint(String accessToken) {
        return new GraphEndpoint(metaGraphUrl(), graphSettings.apiVersion(), accessToken);
    }

    /** Meta's Graph API, or a stand-in; a path such as "/sandbox/graph" means this server's own sandbox. */
    private String metaGraphUrl() {
        String configured = graphSettings.graphUrl();
        return configured.startsWith("/") ? publicUrl.base() + configured : configured;
    }

    private static UserError graphProblem(GraphApiException e) {
        return GraphProblems.asUserError(e, HttpStatus.UNPROCESSABLE_ENTITY);
    }

    private static String explain(GraphApiException e) {
        return GraphProblems.describe(e);
    }

    private static String digitsOf(String phone) {
        return phone == null ? "" : phone.replaceAll("[^0-9]", "");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The workspace's numbers that are also used in the WhatsApp Business app (coexistence). */
    public java.util.Set<UUID> withCoexistence() {
        return connections.withCoexistence(TenantContext.tenantId());
    }

    /**
     * An Admin says whether the number is also used in the WhatsApp Business app (coexistence): its echoes and address
     * book are then expected. Audited; switching to what it already is changes nothing.
     */
    public void switchCoexistence(UUID id, boolean on) {
        UUID tenant = TenantContext.tenantId();
        Connection connection = connections.find(tenant, id).orElseThrow(NotFoundException::new);
        transaction.executeWithoutResult(status -> {
            if (connections.switchCoexistence(tenant, id, on, clock.instant())) {
                AuditEntry entry = on ? AuditEntry.of("whatsapp.coexistence_on") : AuditEntry.of("whatsapp.coexistence_off");
                audit.record(entry.target("whatsapp_number", connection.id(), connection.displayPhoneNumber()));
            }
        });
    }

    /**
     * Meta sent what only a coexistence number gets (an echo of a message sent from the WhatsApp Business app, its
     * address book): Meta sends these only for a number onboarded for coexistence, so the number is one, whatever the
     * setting said. The flag is switched on, audited as done by WhatsApp, in the caller's transaction.
     */
    void coexistenceSeen(UUID connectionId) {
        UUID tenant = TenantContext.tenantId();
        if (connections.switchCoexistence(tenant, connectionId, true, clock.instant())) {
            String number = connections.find(tenant, connectionId).map(Connection::displayPhoneNumber).orElse("");
            audit.record(AuditEntry.of("whatsapp.coexistence_on").target("whatsapp_number", connectionId, number)
                    .details(Map.of("reason", "echo")));
        }
    }

    public void disconnect(UUID id) {
        UUID tenant = TenantContext.tenantId();
        Connection connection = connections.find(tenant, id).orElseThrow(NotFoundException::new);
        transaction.executeWithoutResult(status -> {
            connections.disconnect(tenant, id, clock.instant());
            forgetReceiver(id);
            audit.record(AuditEntry.of("whatsapp.disconnected").target("whatsapp_number", connection.id(), connection.displayPhoneNumber()));
        });
    }

    /**
     * A connection as the webhook receiver needs it on every POST: with its app secret already opened.
     * Kept for a few seconds ({@code hexa.whatsapp.callback-cache-ttl}, default 5 s) so that a burst of
     * webhooks costs no database read or decryption per POST; a disconnection on this node takes effect
     * at once, on other nodes within that time.
     */
    record Receiver(Connection connection, String appSecret, long loadedAtNanos) {

        boolean signatureMatches(byte[] body, String header) {
            return WebhookSignature.matches(body, header, appSecret);
        }
    }

    /** The receiving connection a callback key names, from the short-lived cache or the database. */
    Optional<Receiver> receiver(String key) {
        long now = System.nanoTime();
        Receiver cached = receivers.get(key);
        if (cached != null && now - cached.loadedAtNanos() < receiverTtlNanos) {
            return Optional.of(cached);
        }
        Optional<Receiver> loaded = byCallbackKey(key)
                .map(connection -> new Receiver(connection, secrets.openString(connection.appSecretSealed()), now));
        if (loaded.isPresent()) {
            receivers.put(key, loaded.get());
        } else {
            receivers.remove(key);
        }
        return loaded;
    }

    private void forgetReceiver(UUID connectionId) {
        receivers.values().removeIf(receiver -> receiver.connection().id().equals(connectionId));
    }

    /** Where a change naming a phone number goes, when it came in a webhook on a workspace's connection. */
    record Route(Outcome outcome, UUID tenantId, UUID connectionId) {

        enum Outcome {
            /** A number of the receiving workspace. */
            OWN,
            /**
             * A number of another workspace connected under the same Meta app, whose webhooks all reach one callback, and
             * whose Owner approved receiving them through the receiving connection.
             */
            SHARED_APP,
            /**
             * The same, not approved: the app's secret signs for every workspace that shares the app, so without the
             * number's Owner's approval one of them could write into another's conversations.
             */
            SHARED_APP_UNAPPROVED,
            /** A number that no workspace has connected. */
            NOT_CONNECTED,
            /** A number of another workspace under another Meta app: this callback's signature proves nothing about it. */
            OTHER_APP
        }

        boolean applies() {
            return outcome == Outcome.OWN || outcome == Outcome.SHARED_APP;
        }
    }

    /**
     * Meta sends every webhook of one Meta app to the one callback URL set in its dashboard, so a POST
     * that came in on workspace A's connection may carry changes for a number workspace B connected under
     * the same app. Such a change belongs to B, and only when B's number is live and its connection has
     * the same app id and the same app secret as the receiving one (the secret the POST's signature was
     * checked with). Numbers of the receiving workspace are its own, as before.
     */
    Route route(UUID receivingTenant, UUID receivingConnection, String phoneNumberId) {
        Optional<Connection> owner = connections.liveByNumber(phoneNumberId);
        if (owner.isEmpty()) {
            return new Route(Route.Outcome.NOT_CONNECTED, null, null);
        }
        Connection number = owner.get();
        if (number.tenantId().equals(receivingTenant)) {
            return new Route(Route.Outcome.OWN, number.tenantId(), number.id());
        }
        Optional<Connection> receiving = connections.stored(receivingTenant, receivingConnection);
        if (receiving.isPresent() && sameMetaApp(receiving.get(), number)) {
            return connections.sharedApproved(number.tenantId(), number.id(), receivingConnection)
                    ? new Route(Route.Outcome.SHARED_APP, number.tenantId(), number.id())
                    : new Route(Route.Outcome.SHARED_APP_UNAPPROVED, null, null);
        }
        return new Route(Route.Outcome.OTHER_APP, null, null);
    }

    private boolean sameMetaApp(Connection a, Connection b) {
        return a.kind() == b.kind() && a.appId().equals(b.appId())
                && Tokens.constantTimeEquals(secrets.openString(a.appSecretSealed()), secrets.openString(b.appSecretSealed()));
    }

    /** Another workspace's connection whose callback this workspace's number receives its webhooks through. */
    public record SharedCallback(UUID viaConnectionId, String viaPhoneNumber, Instant approvedAt) {
    }

    /** The other workspaces' connections the number's webhooks may come in through (Owners approved them). */
    public List<SharedCallback> sharedCallbacks(UUID connectionId) {
        UUID tenant = TenantContext.tenantId();
        connections.find(tenant, connectionId).orElseThrow(NotFoundException::new);
        return connections.sharedApprovals(tenant, connectionId);
    }

    /**
     * The Owner of this workspace lets its number receive webhooks through another workspace's callback URL (the one
     * set in the shared Meta app's dashboard), given as that workspace shows it. Only a live connection of the same
     * Meta app (same app id and app secret) in another workspace can be approved; anything else is refused with one
     * message that says nothing about other workspaces.
     */
    public SharedCallback approveSharedCallback(UUID connectionId, String callbackUrl) {
        UUID tenant = TenantContext.tenantId();
        Connection own = connections.find(tenant, connectionId).orElseThrow(NotFoundException::new);
        String path = callbackUrl == null ? "" : callbackUrl.strip().replaceAll("[?#].*$", "");
        String key = path.substring(path.lastIndexOf('/') + 1);
        Connection via = byCallbackKey(key)
                .filter(other -> !other.tenantId().equals(tenant) && sameMetaApp(own, other))
                .orElseThrow(() -> UserError.invalid("whatsapp.shared-app.not-same-app"));
        Instant now = clock.instant();
        if (connections.approveShared(tenant, own.id(), via, TenantContext.actor().userId(), now)) {
            audit.record(AuditEntry.of("whatsapp.shared_callback_approved").target("whatsapp_number", own.id(), own.displayPhoneNumber())
                    .details(Map.of("viaConnection", via.id().toString(), "viaNumber", String.valueOf(via.displayPhoneNumber()))));
        }
        return connections.sharedApprovals(tenant, own.id()).stream().filter(s -> s.viaConnectionId().equals(via.id())).findFirst().orElseThrow();
    }

    /** Takes an approval back: changes for the number that come in through that connection are skipped again. */
    public void revokeSharedCallback(UUID connectionId, UUID viaConnectionId) {
        UUID tenant = TenantContext.tenantId();
        Connection own = connections.find(tenant, connectionId).orElseThrow(NotFoundException::new);
        if (!connections.revokeShared(tenant, own.id(), viaConnectionId)) {
            throw new NotFoundException();
        }
        audit.record(AuditEntry.of("whatsapp.shared_callback_revoked").target("whatsapp_number", own.id(), own.displayPhoneNumber())
                .details(Map.of("viaConnection", viaConnectionId.toString())));
    }

    /** The connection a callback key names, in whichever workspace it belongs to; for the webhook only. */
    Optional<Connection> byCallbackKey(String key) {
        return TenantTokens.parse(CALLBACK_KEY_PREFIX, key)
                .flatMap(parsed -> connections.byCallbackKey(parsed.tenantId(), key));
    }

    boolean verifyTokenMatches(Connection connection, String candidate) {
        return Tokens.constantTimeEquals(secrets.openString(connection.verifyTokenSealed()), candidate);
    }

    String accessToken(Connection connection) {
        return secrets.openString(connection.accessTokenSealed());
    }

    private Connection newConnection(UUID tenant, Connection.Kind kind, String appId, String appSecret, String accessToken,
                                     String wabaId, String phoneNumberId, String display, String verifiedName, String graphUrl,
                                     String verifyToken) {
        Instant now = clock.instant();
        return new Connection(tenant, Ids.newId(), kind, appId, secrets.seal(appSecret), secrets.seal(accessToken), wabaId,
                phoneNumberId, display, verifiedName, graphUrl, TenantTokens.issue(CALLBACK_KEY_PREFIX, tenant),
                secrets.seal(verifyToken), Connection.Status.CONNECTED, null, now, now, DEFAULT_MESSAGES_PER_SECOND);
    }

    private void save(Connection connection) {
        transaction.executeWithoutResult(status -> {
            connections.insert(connection, clock.instant());
            if (!connections.claimNumber(connection.tenantId(), connection.id(), connection.phoneNumberId())) {
                // rolls the connection back with the transaction
                throw new NumberTaken(connection.displayPhoneNumber());
            }
            audit.record(AuditEntry.of("whatsapp.connected").target("whatsapp_number", connection.id(), connection.displayPhoneNumber())
                    .details(Map.of("kind", connection.kind().name(), "phoneNumberId", connection.phoneNumberId(), "wabaId", connection.wabaId())));
        });
    }

    private View view(Connection c) {
        return new View(c.id(), c.kind(), c.phoneNumberId(), c.displayPhoneNumber(), c.verifiedName(), c.wabaId(), c.appId(),
                publicUrl.shown() + c.callbackPath(), secrets.openString(c.verifyTokenSealed()), c.status(), c.statusDetail(),
                c.checkedAt(), c.createdAt());
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder();
        out.append(1 + random.nextInt(9));
        while (out.length() < count) {
            out.append(random.nextInt(10));
        }
        return out.toString();
    }
}
