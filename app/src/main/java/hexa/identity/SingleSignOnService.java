package hexa.identity;

import hexa.audit.AuditEntry;
import hexa.audit.AuditTrail;
import hexa.platform.crypto.SecretBox;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.PublicUrl;
import hexa.platform.web.UserError;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Settings → Single sign-on: each workspace's OpenID provider, checked before it is saved, and audited. */
@Service
class SingleSignOnService {

    /** Where every workspace's provider sends people back; the workspace is known from the sign-in's saved state. */
    static final String RETURN_PATH = "/sign-in/single-sign-on/return";

    record Settings(boolean configured, String issuer, String clientId, boolean ssoOnly, String redirectUri) {
    }

    private final SingleSignOns store;
    private final OpenIdDiscovery discovery;
    private final SecretBox secrets;
    private final PublicUrl publicUrl;
    private final AuditTrail audit;
    private final Clock clock;

    SingleSignOnService(SingleSignOns store, OpenIdDiscovery discovery, SecretBox secrets, PublicUrl publicUrl, AuditTrail audit, Clock clock) {
        this.store = store;
        this.discovery = discovery;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
        this.audit = audit;
        this.clock = clock;
    }

    /** The address to register at the provider: the public URL, never the request's Host. */
    String redirectUri() {
        return publicUrl.shown() + RETURN_PATH;
    }

    Settings current() {
        Optional<SingleSignOn> sso = store.find(TenantContext.tenantId());
        return sso.map(s -> new Settings(true, s.issuer(), s.clientId(), s.ssoOnly(), redirectUri()))
                .orElseGet(() -> new Settings(false, "", "", false, redirectUri()));
    }

    /**
     * Saves the provider after reading its discovery document; an empty secret keeps the one saved. Anything wrong is
     * refused with a message and nothing is changed.
     */
    @Transactional
    void save(String issuer, String clientId, String clientSecret, boolean ssoOnly) {
        Actor actor = TenantContext.actor();
        String normalized = OpenIdDiscovery.normalizedIssuer(issuer);
        String client = clientId == null ? "" : clientId.trim();
        if (client.isEmpty() || client.length() > 300) {
            throw UserError.invalid("sso.client-id.invalid");
        }
        Optional<SingleSignOn> before = store.find(actor.tenantId());
        String secret = clientSecret == null ? "" : clientSecret.trim();
        if (secret.isEmpty() && before.isEmpty()) {
            throw UserError.invalid("sso.client-secret.missing");
        }
        discovery.read(normalized);
        String sealed = secret.isEmpty() ? before.get().clientSecretSealed() : secrets.seal(secret);
        store.save(actor.tenantId(), normalized, client, sealed, ssoOnly, actor.userId(), clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("issuer", normalized);
        details.put("clientId", client);
        details.put("ssoOnly", ssoOnly);
        details.put("secretChanged", !secret.isEmpty());
        before.ifPresent(b -> {
            details.put("previousIssuer", b.issuer());
            details.put("previousSsoOnly", b.ssoOnly());
        });
        AuditEntry entry = before.isPresent() ? AuditEntry.of("single_sign_on.changed") : AuditEntry.of("single_sign_on.configured");
        audit.record(entry.target("workspace", actor.tenantId(), normalized).details(details));
    }

    @Transactional
    void remove() {
        UUID tenant = TenantContext.tenantId();
        Optional<SingleSignOn> before = store.find(tenant);
        if (before.isEmpty() || !store.delete(tenant)) {
            throw UserError.invalid("sso.not-configured");
        }
        audit.record(AuditEntry.of("single_sign_on.removed").target("workspace", tenant, before.get().issuer())
                .details(Map.of("issuer", before.get().issuer())));
    }

    String clientSecret(SingleSignOn sso) {
        return secrets.openString(sso.clientSecretSealed());
    }
}
