package hexa.sandbox.access;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import hexa.sandbox.SandboxJson;
import hexa.sandbox.SandboxProperties;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lets nobody into the phone simulator or the control API who has not shown the control token
 * ({@code Authorization: Bearer}) or been signed in by the host application ({@link SandboxCallers}). A bearer
 * token that is not the control token is refused outright, never taken for a signed-in session. The Graph API is
 * not behind this gate: it checks each number's access token itself, as Meta does.
 */
@Component
public class SandboxGate implements HandlerInterceptor, WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SandboxGate.class);

    private final ControlToken token;
    private final ObjectProvider<SandboxCallers> callers;
    private final boolean openPage;

    public SandboxGate(ControlToken token, ObjectProvider<SandboxCallers> callers, SandboxProperties properties, Environment environment) {
        this.token = token;
        this.callers = callers;
        this.openPage = properties.isOpenSimulatorPage() || environment.getProperty("hexa.sandbox.standalone", Boolean.class, false);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/sandbox", "/sandbox/", "/sandbox/static/**", "/sandbox/api", "/sandbox/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean page = !path.startsWith("/sandbox/api");
        Optional<SandboxCaller> caller = callerOf(request);
        if (caller.isPresent()) {
            SandboxCaller.set(request, caller.get());
            return true;
        }
        if (page && openPage && !hasBearer(request)) {
            // The page and its script hold no data; standalone, the script then shows the token from the address.
            return true;
        }
        refuse(response);
        return false;
    }

    private Optional<SandboxCaller> callerOf(HttpServletRequest request) {
        if (hasBearer(request)) {
            String presented = request.getHeader(HttpHeaders.AUTHORIZATION).substring("Bearer ".length()).strip();
            return token.matches(presented) ? Optional.of(SandboxCaller.CONTROL) : Optional.empty();
        }
        SandboxCallers host = callers.getIfAvailable();
        return host == null ? Optional.empty() : host.of(request);
    }

    private static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        ObjectNode body = SandboxJson.object();
        body.put("code", "unauthorized");
        body.put("message", "Sign in to Hexa CRM, or send the sandbox control token as Authorization: Bearer <token>.");
        response.setStatus(401);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sandbox\"");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(SandboxJson.MAPPER.writeValueAsString(body));
    }

    /** Announces the token once the server is up, so that its operator can script the sandbox. */
    @EventListener(ApplicationReadyEvent.class)
    public void announce() {
        if (!token.generated()) {
            return;
        }
        String line = "WhatsApp sandbox control token (Authorization: Bearer for /sandbox/api): " + token.value();
        if (openPage) {
            System.out.println(line);
        } else {
            log.info(line);
        }
    }
}
