package hexa.identity;

import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.ApiError;
import hexa.platform.web.Text;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Authorization: Bearer hexa_…} on the API: the token names the workspace and the role, which its creator's current
 * role caps. A refused token is answered 401 with its reason ({@code invalid_token}, {@code token_expired},
 * {@code token_suspended}).
 */
final class ApiTokenFilter extends OncePerRequestFilter {

    private final ApiTokenService tokens;
    private final JsonMapper json;

    ApiTokenFilter(ApiTokenService tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        ApiTokenService.Check check = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.authenticate(header.substring(7).trim(), request.getRemoteAddr())
                : new ApiTokenService.Refused("invalid_token", "error.api-invalid-token");
        if (check instanceof ApiTokenService.Refused refused) {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(json.writeValueAsString(new ApiError(refused.code(), Text.t(refused.messageKey(), refused.args()))));
            return;
        }
        Actor actor = ((ApiTokenService.Accepted) check).actor();
        SecurityContextHolder.setContext(new SecurityContextImpl(new TokenAuthentication(actor)));
        try (TenantContext.Scope ignored = TenantContext.enter(actor)) {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    static final class TokenAuthentication extends AbstractAuthenticationToken {
        private final Actor actor;

        TokenAuthentication(Actor actor) {
            super(List.of(new SimpleGrantedAuthority("API_TOKEN")));
            this.actor = actor;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return actor;
        }

        @Override
        public String getName() {
            return "token:" + actor.tokenId();
        }
    }
}
