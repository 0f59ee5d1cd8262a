package hexa.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Signing in through a workspace's OpenID provider (Spring Security's OAuth 2 client, {@code oauth2Login}), on paths
 * of its own under {@code /sign-in/single-sign-on}: {@code …/start/{workspace id}} sends the person to the provider
 * (state, nonce and a PKCE challenge kept in the session), {@code …/return} takes them back. And "single sign-on
 * only": a member who did not enter the workspace through its provider is sent there ({@link #ssoOnly}).
 */
@Configuration(proxyBeanMethods = false)
class SingleSignOnSecurity implements WebMvcConfigurer {

    static final String BASE = "/sign-in/single-sign-on";

    private final SingleSignOns store;

    SingleSignOnSecurity(SingleSignOns store) {
        this.store = store;
    }

    @Bean
    @Order(1)
    SecurityFilterChain singleSignOn(HttpSecurity http, WorkspaceClientRegistrations registrations, SingleSignOnSignIn signIn,
                                     CurrentWorkspaceFilter currentWorkspace, SecurityContextRepository contexts) throws Exception {
        var resolver = new DefaultOAuth2AuthorizationRequestResolver(registrations, BASE + "/start");
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        http.securityMatcher(BASE, BASE + "/**")
                .securityContext(context -> context.securityContextRepository(contexts))
                .addFilterAfter(currentWorkspace, SecurityContextHolderFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .oauth2Login(login -> login
                        .loginPage(BASE)
                        .clientRegistrationRepository(registrations)
                        .authorizedClientRepository(new NothingKept())
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(notFoundWhenUnknown(resolver)))
                        .loginProcessingUrl(SingleSignOnService.RETURN_PATH)
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(signIn))
                        .successHandler(signIn)
                        .failureHandler(signIn))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable());
        SecurityConfiguration.headers(http);
        return http.build();
    }

    /**
     * A workspace without single sign-on (or no workspace at all) is not found, as anything else of another workspace:
     * the request goes on to the pages, which have nothing there (404), instead of Spring Security's 500.
     */
    private static OAuth2AuthorizationRequestResolver notFoundWhenUnknown(OAuth2AuthorizationRequestResolver resolver) {
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                try {
                    return resolver.resolve(request);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                try {
                    return resolver.resolve(request, registrationId);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        };
    }

    /**
     * ID tokens are checked against the provider's keys and issuer. Spring Security would build a decoder, and fetch
     * the provider's key set, for every sign-in; one is kept per workspace <em>and provider</em> (its keys are
     * fetched again when a token names a key it does not know), so that an Owner who changes the issuer or client
     * gets a new one at once.
     */
    @Bean
    JwtDecoderFactory<ClientRegistration> idTokenDecoders() {
        Map<String, OidcIdTokenDecoderFactory> byProvider = new ConcurrentHashMap<>();
        return registration -> byProvider.computeIfAbsent(String.join(" ", registration.getRegistrationId(),
                        registration.getProviderDetails().getIssuerUri(), registration.getProviderDetails().getJwkSetUri(), registration.getClientId()),
                key -> new OidcIdTokenDecoderFactory()).createDecoder(registration);
    }

    /** The provider's tokens are not needed after sign-in, so none are kept (in memory they would tie a person to one node). */
    private static final class NothingKept implements OAuth2AuthorizedClientRepository {
        @Override
        public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String id, Authentication principal, HttpServletRequest request) {
            return null;
        }

        @Override
        public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal, HttpServletRequest request, HttpServletResponse response) {
        }

        @Override
        public void removeAuthorizedClient(String id, Authentication principal, HttpServletRequest request, HttpServletResponse response) {
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(ssoOnly()).excludePathPatterns(BASE, BASE + "/**", "/sign-in", "/sign-out", "/workspaces/switch", "/workspaces/none",
                "/static/**", "/webjars/**", "/error", "/favicon.ico", "/.well-known/**", "/actuator/**", "/webhooks/**", "/api/**");
    }

    /**
     * A person in a "single sign-on only" workspace who did not enter it through the provider (a password, an
     * invitation) is sent to the provider with an explanation. Owners are let in with a password: if the provider
     * fails or is misconfigured, someone must still be able to reach the settings. API tokens are not people.
     */
    private HandlerInterceptor ssoOnly() {
        return new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
                var actor = hexa.platform.tenant.TenantContext.current().orElse(null);
                if (actor == null || actor.userId() == null || actor.tokenId() != null || actor.role() == hexa.platform.access.Role.OWNER) {
                    return true;
                }
                UUID tenant = actor.tenantId();
                if (SingleSignOnSignIn.entered(request.getSession(false), actor.userId(), tenant) || !store.ssoOnly(tenant)) {
                    return true;
                }
                String target = BASE + "/required";
                if ("GET".equals(request.getMethod()) && request.getHeader("HX-Request") == null) {
                    response.sendRedirect(target);
                } else {
                    response.setHeader("HX-Redirect", target);
                    response.sendError(HttpServletResponse.SC_FORBIDDEN);
                }
                return false;
            }
        };
    }
}
