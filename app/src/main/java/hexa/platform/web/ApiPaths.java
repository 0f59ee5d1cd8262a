package hexa.platform.web;

import jakarta.servlet.http.HttpServletRequest;

public final class ApiPaths {

    public static final String PREFIX = "/api/";

    private ApiPaths() {
    }

    public static boolean isApi(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri.startsWith(context + PREFIX);
    }
}
