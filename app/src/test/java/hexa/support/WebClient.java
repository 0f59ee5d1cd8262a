package hexa.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without the rendering: keeps its cookies, follows no redirects (tests look at them),
 * and sends the CSRF token of the last page it loaded with every form, as a real browser would.
 */
public final class WebClient {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private String csrf = "";
    private String userAgent = "HexaTest/1.0";
    private String forwardedHost;
    /** Each client comes from its own address (through the trusted local proxy header), as people do. */
    private String address = "10." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250) + "." + (1 + (int) (Math.random() * 250));

    public WebClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Every request from now on names this host, as a proxy in front of the server would tell it (X-Forwarded-Host). */
    public WebClient forwardedHost(String host) {
        this.forwardedHost = host;
        return this;
    }

    /** A second browser on the same network as {@code other} (no cookies of its own yet). */
    public WebClient fromAddressOf(WebClient other) {
        this.address = other.address;
        return this;
    }

    public WebClient userAgent(String value) {
        this.userAgent = value;
        return this;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A GET with request headers, as htmx sends them ({@code HX-Request}, {@code HX-Current-URL}). */
    public Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** Loads the page first when no CSRF token is known yet, then posts the form. */
    public Response post(String path, Map<String, String> form) {
        if (csrf.isEmpty()) {
            get("/sign-in");
        }
        Map<String, String> fields = new LinkedHashMap<>(form);
        fields.putIfAbsent("_csrf", csrf);
        return postRaw(path, fields);
    }

    /** Posts a form whose fields may repeat (several values of one name, in order), with the CSRF token. */
    public Response post(String path, java.util.List<Map.Entry<String, String>> form) {
        if (csrf.isEmpty()) {
            get("/sign-in");
        }
        java.util.List<Map.Entry<String, String>> fields = new java.util.ArrayList<>(form);
        fields.add(Map.entry("_csrf", csrf));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))));
    }

    /** Posts exactly these fields, without adding a CSRF token. */
    public Response postRaw(String path, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields.entrySet()))));
    }

    private static String encode(java.util.Collection<Map.Entry<String, String>> fields) {
        return fields.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Posts a form and follows its redirect, as a browser does (the one-time notice shows on the page it leads to). */
    public Response follow(String path, Map<String, String> form) {
        Response posted = post(path, form);
        if (posted.status() != 302) {
            throw new AssertionError(path + " answered " + posted.status() + " instead of a redirect: " + posted.text());
        }
        return get(posted.location());
    }

    /** A file field of a multipart form. */
    public record FilePart(String field, String filename, String contentType, byte[] bytes) {
    }

    /** Posts a multipart form, as a browser does for a form with files, with the CSRF token among its fields. */
    public Response multipart(String path, Map<String, String> fields, java.util.List<FilePart> files) {
        if (csrf.isEmpty()) {
            get("/sign-in");
        }
        String boundary = "----hexa" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_csrf", csrf);
        all.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        for (FilePart file : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.field() + "\"; filename=\"" + file.filename()
                    + "\"\r\nContent-Type: " + file.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A script of a page sending JSON with the session cookie and these headers (the CSRF header, say). */
    public Response send(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return send(request);
    }

    public Response request(String method, String path) {
        if (method.equals("GET")) {
            return get(path);
        }
        return post(path, Map.of());
    }

    public String address() {
        return address;
    }

    public String sessionId() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("HEXA_SESSION")).map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    public void signIn(String email, String password) {
        Response response = post("/sign-in", Map.of("email", email, "password", password));
        if (response.status() != 302) {
            throw new AssertionError("Sign-in of " + email + " failed with " + response.status() + ": " + response.text());
        }
        get("/");
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : base + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            if (forwardedHost != null) {
                request.header("X-Forwarded-Host", forwardedHost);
            }
            HttpResponse<java.io.InputStream> response = http.send(request.header("User-Agent", userAgent).header("X-Forwarded-For", address).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (java.io.InputStream in = response.body()) {
                // A stream of server-sent events never ends: its answer is the status and headers.
                boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                body = stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher matcher = CSRF.matcher(body);
            if (matcher.find()) {
                csrf = matcher.group(1);
            }
            return new Response(response.statusCode(), body, response.headers().map());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
