package hexa.identity;

import hexa.platform.web.ApiError;
import hexa.platform.web.Text;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two doors. The API ({@code /api/**}) takes only bearer tokens, keeps no session and so needs no
 * CSRF token. Everything else is the web app: session cookie, CSRF on every form, sign-in page.
 * Which role may do what is decided afterwards, in one place ({@code AccessInterceptor}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static final String[] PUBLIC_PAGES = {
            "/", "/sign-in", "/sign-in/two-factor", "/sign-in/two-factor/cancel", "/setup", "/invitations/**", "/forgot-password", "/reset-password/**", "/error", "/favicon.ico", "/webjars/**", "/static/**",
            "/actuator/health", "/actuator/health/**", "/sandbox/**", "/webhooks/**", "/.well-known/security.txt",
            // each workspace's public privacy page, its request form and status pages, and Meta's data deletion callback
            "/privacy/**",
            // a campaign's URL button, counted as a click and led on to the business's page
            "/c/**"};

    private final JsonMapper json = JsonMapper.builder().build();

    /** The filter runs inside the security chain only, not a second time as a plain servlet filter. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<CurrentWorkspaceFilter> currentWorkspaceFilterRegistration(CurrentWorkspaceFilter filter) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    /**
     * Meta's webhooks: no person, no session, no CSRF token. Without this chain every POST would get
     * a CSRF token and with it a new session row in the database (thousands a second under load).
     * The signature over the body is what authenticates them, in {@code WebhookReceiver}, which answers before this chain.
     */
    @Bean
    @Order(0)
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        http.securityMatcher("/webhooks/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        headers(http);
        return http.build();
    }

    /** Metrics: the management port, or the metrics token on the main port ({@link MetricsAccess}); no session. */
    @Bean
    @Order(0)
    SecurityFilterChain metrics(HttpSecurity http, MetricsAccess access) throws Exception {
        http.securityMatcher("/actuator/prometheus")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterAfter(access, SecurityContextHolderFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        headers(http);
        return http.build();
    }

    /** The metrics check runs inside its security chain only, not a second time as a plain servlet filter. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<MetricsAccess> metricsAccessRegistration(MetricsAccess access) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(access);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokenService tokens) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterAfter(new ApiTokenFilter(tokens, json), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> writeError(response, 401, "unauthorized", Text.t("error.api-unauthorized")))
                        .accessDeniedHandler((request, response, e) -> writeError(response, 403, "forbidden", Text.t("error.forbidden"))));
        headers(http);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, CurrentWorkspaceFilter currentWorkspace, SecurityContextRepository contexts) throws Exception {
        http.securityContext(context -> context.securityContextRepository(contexts))
                .csrf(csrf -> csrf.ignoringRequestMatchers(SecurityConfiguration::withoutSessionCsrf))
                .addFilterAfter(currentWorkspace, SecurityContextHolderFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PUBLIC_PAGES).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/sign-in")))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable());
        headers(http);
        return http.build();
    }

    /**
     * Requests that a session cookie does not authenticate need no CSRF token: Meta's webhooks, the sandbox's Graph
     * API (each number's bearer token) and scripts holding the sandbox's control token. The sandbox refuses any other
     * bearer token instead of falling back to the session, so a forged cross-site request cannot ride on it; a request
     * without a signed-in person is answered 401 by the sandbox (not 403 for a token it could not have). The phone
     * simulator, used by a signed-in member, sends the CSRF token like any page.
     */
    static boolean withoutSessionCsrf(jakarta.servlet.http.HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/webhooks/") || path.startsWith("/sandbox/graph/") || isMetaDataDeletion(path)) {
            return true;
        }
        String authorization = request.getHeader("Authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        return path.startsWith("/sandbox/api/") && (bearer || CurrentWorkspaceFilter.signedInUser().isEmpty());
    }

    /** Meta's data deletion callback is a server-to-server POST, authenticated by its signed_request. */
    private static boolean isMetaDataDeletion(String path) {
        return path.startsWith("/privacy/") && path.endsWith("/meta-data-deletion") && path.indexOf('/', "/privacy/".length()) == path.length() - "/meta-data-deletion".length();
    }

    static void headers(HttpSecurity http) throws Exception {
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .frameOptions(frame -> frame.deny())
                .contentTypeOptions(options -> { }));
    }

    private void writeError(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(new ApiError(code, message)));
    }
}
