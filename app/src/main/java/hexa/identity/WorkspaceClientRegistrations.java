package hexa.identity;

import hexa.platform.web.UserError;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.stereotype.Component;

/**
 * Each workspace's provider as Spring Security's client registration, read from the database: the registration id
 * is the workspace id. Unknown ids, workspaces without single sign-on and providers that cannot be read answer null,
 * which Spring Security refuses.
 */
@Component
class WorkspaceClientRegistrations implements ClientRegistrationRepository {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WorkspaceClientRegistrations.class);

    private final SingleSignOns store;
    private final SingleSignOnService service;
    private final OpenIdDiscovery discovery;

    WorkspaceClientRegistrations(SingleSignOns store, SingleSignOnService service, OpenIdDiscovery discovery) {
        this.store = store;
        this.service = service;
        this.discovery = discovery;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        Optional<UUID> workspace = parse(registrationId);
        Optional<SingleSignOn> sso = workspace.flatMap(store::find);
        if (sso.isEmpty()) {
            return null;
        }
        OpenIdDiscovery.Document document;
        try {
            document = discovery.current(sso.get().issuer());
        } catch (UserError e) {
            log.warn("Single sign-on of workspace {}: {}", registrationId, e.text());
            return null;
        }
        Object methods = document.metadata().get("token_endpoint_auth_methods_supported");
        boolean basic = !(methods instanceof List<?> list) || list.contains("client_secret_basic");
        return ClientRegistration.withRegistrationId(registrationId)
                .clientId(sso.get().clientId())
                .clientSecret(service.clientSecret(sso.get()))
                .clientAuthenticationMethod(basic ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC : ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(service.redirectUri())
                .scope("openid", "email")
                .authorizationUri(document.endpoint("authorization_endpoint"))
                .tokenUri(document.endpoint("token_endpoint"))
                .jwkSetUri(document.endpoint("jwks_uri"))
                .userInfoUri(document.endpoint("userinfo_endpoint"))
                .userNameAttributeName(IdTokenClaimNames.SUB)
                .issuerUri(document.issuer())
                .providerConfigurationMetadata(document.metadata())
                .clientName(document.issuer())
                .build();
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
