package hexa.platform;

import hexa.platform.web.AccessInterceptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every web endpoint of ours, read from Spring MVC itself so that new endpoints are covered as they appear. */
final class Endpoints {

    record Endpoint(String method, String pattern, HandlerMethod handler, AccessInterceptor.Access access) {
        boolean isApi() {
            return pattern.startsWith("/api/");
        }

        String path(String variableValue) {
            return pattern.replaceAll("\\{[^}]+}", variableValue);
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private Endpoints() {
    }

    static List<Endpoint> all(RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            HandlerMethod handler = entry.getValue();
            if (!AccessInterceptor.isCrmEndpoint(handler)) {
                continue;
            }
            var access = AccessInterceptor.accessOf(handler).orElse(null);
            var methods = info.getMethodsCondition().getMethods().isEmpty()
                    ? List.of("GET")
                    : info.getMethodsCondition().getMethods().stream().map(Enum::name).toList();
            for (String pattern : info.getPatternValues()) {
                for (String method : methods) {
                    endpoints.add(new Endpoint(method, pattern, handler, access));
                }
            }
        }
        // Signing out ends the session the probe uses, so it goes last.
        endpoints.sort(Comparator.comparing((Endpoint e) -> e.pattern().equals("/sign-out")).thenComparing(Endpoint::toString));
        return endpoints;
    }
}
