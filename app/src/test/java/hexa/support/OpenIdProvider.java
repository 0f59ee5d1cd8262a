package hexa.support;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * A real OpenID provider (Spring Authorization Server) on a random port of this machine, for the single sign-on
 * tests: one registered client and in-memory people who sign in on the provider's own login form. It stands in
 * for a company's provider (Okta, Entra ID, Keycloak, Google); it is not a server of the CRM. The people it knows:
 * {@link #MEMBER_PASSWORD} for all, and each one's email claim is their user name; {@code email_verified} is true
 * except for those it {@linkplain #knowsUnverified knows unverified}.
 */
public final class OpenIdProvider implements AutoCloseable {

    public static final String CLIENT_ID = "hexa-crm";
    public static final String CLIENT_SECRET = "provider-client-secret";
    public static final String MEMBER_PASSWORD = "provider-password";

    private final ConfigurableApplicationContext context;

    private OpenIdProvider(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the provider with the people it knows (their emails) and the one redirect URI its client may use.
     */
    public static OpenIdProvider start(String redirectUri, String... emails) {
        int port = freePort();
        var context = new SpringApplicationBuilder(Server.class)
                .properties(Map.of(
                        // Not the CRM's application.properties: this is another server.
                        "spring.config.name", "openid-provider",
                        "server.port", String.valueOf(port),
                        // A provider names itself: its issuer is the same whatever name it was reached by.
                        "spring.security.oauth2.authorizationserver.issuer", "http://127.0.0.1:" + port,
                        "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off"))
                .initializers(c -> {
                    c.getBeanFactory().registerSingleton("people", new People(emails));
                    c.getBeanFactory().registerSingleton("redirect", new Redirect(redirectUri));
                    c.getBeanFactory().registerSingleton("unverified", new Unverified(java.util.concurrent.ConcurrentHashMap.newKeySet()));
                })
                .run();
        return new OpenIdProvider(context);
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Someone the provider knows from now on, who signs in with {@link #MEMBER_PASSWORD}. */
    public OpenIdProvider knows(String email) {
        var people = context.getBean(InMemoryUserDetailsManager.class);
        if (!people.userExists(email)) {
            people.createUser(User.withUsername(email).password("{noop}" + MEMBER_PASSWORD).roles("USER").build());
        }
        return this;
    }

    /** Someone the provider knows but whose email address it has not verified ({@code email_verified} false). */
    public OpenIdProvider knowsUnverified(String email) {
        context.getBean(Unverified.class).emails().add(email);
        return knows(email);
    }

    /** The issuer URL an Owner enters in Hexa CRM. */
    public String issuer() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }

    record People(String[] emails) {
    }

    record Redirect(String uri) {
    }

    record Unverified(java.util.Set<String> emails) {
    }

    /** Only what a provider needs: a web server, Spring Security and the authorization server. */
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
            SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
            OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class})
    static class Server {

        @Bean
        InMemoryUserDetailsManager users(People people) {
            var manager = new InMemoryUserDetailsManager();
            for (String email : people.emails()) {
                manager.createUser(User.withUsername(email).password("{noop}" + MEMBER_PASSWORD).roles("USER").build());
            }
            return manager;
        }

        @Bean
        RegisteredClientRepository clients(Redirect redirect) {
            return new InMemoryRegisteredClientRepository(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(CLIENT_ID)
                    .clientSecret("{noop}" + CLIENT_SECRET)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(redirect.uri())
                    .scope(OidcScopes.OPENID).scope(OidcScopes.EMAIL).scope(OidcScopes.PROFILE)
                    // The CRM must send a PKCE challenge, or the provider refuses it.
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).requireProofKey(true).build())
                    .build());
        }

        /** The ID token says who signed in by email, verified or not. */
        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> emailClaims(Unverified unverified) {
            return context -> {
                if ("id_token".equals(context.getTokenType().getValue())) {
                    String email = context.getPrincipal().getName();
                    context.getClaims().claim("email", email);
                    context.getClaims().claim("email_verified", !unverified.emails().contains(email));
                    context.getClaims().claim("name", email);
                }
            };
        }
    }
}
