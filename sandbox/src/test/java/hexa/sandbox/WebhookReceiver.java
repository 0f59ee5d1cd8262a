package hexa.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import hexa.support.Eventually;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny real webhook endpoint, as an app would run one: answers the verification handshake when the
 * verify token matches, checks every POST's signature itself, and records what arrived.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Delivery(byte[] body, String signature, boolean signatureValid, JsonNode json) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final String verifyToken;
    private final String appSecret;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();
    /** Every POST that came, accepted or not: when (nanoTime) and what (the body's signature header, which names it). */
    public record Attempt(long nanos, String signature, int status, String body) {
    }

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private final AtomicInteger failuresToGive = new AtomicInteger();
    private volatile long delayMs;

    public WebhookReceiver(String verifyToken, String appSecret) throws IOException {
        this.verifyToken = verifyToken;
        this.appSecret = appSecret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhook", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    /** The next n POSTs are answered 500, to make the sandbox retry. */
    public void failNext(int n) {
        failuresToGive.set(n);
    }

    /** Every POST is answered 500 until {@code down(false)}: an app that is down for a while. */
    public void down(boolean down) {
        this.down = down;
    }

    public List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    /** Every POST takes this long to answer, like a busy receiver. */
    public void answerAfter(long millis) {
        delayMs = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                handshakes.add(query);
                if ("subscribe".equals(query.get("hub.mode")) && verifyToken.equals(query.get("hub.verify_token"))) {
                    respond(exchange, 200, query.get("hub.challenge"));
                } else {
                    respond(exchange, 403, "forbidden");
                }
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (delayMs > 0) {
                // An app slow to answer, on the wall clock: what is tested is the sandbox's delivery timeout, which is too.
                Thread.sleep(delayMs);
            }
            String signature = exchange.getRequestHeaders().getFirst("X-Hub-Signature-256");
            if (down || failuresToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                attempts.add(new Attempt(System.nanoTime(), signature, 500, new String(body, StandardCharsets.UTF_8)));
                respond(exchange, 500, "try later");
                return;
            }
            attempts.add(new Attempt(System.nanoTime(), signature, 200, new String(body, StandardCharsets.UTF_8)));
            boolean valid = signature != null && signature.equals("sha256=" + hmacHex(body, appSecret));
            deliveries.add(new Delivery(body, signature, valid, JSON.readTree(body)));
            respond(exchange, 200, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    public List<Map<String, String>> handshakes() {
        return new ArrayList<>(handshakes);
    }

    /** Every item of a list ("messages" or "statuses") in every change received so far. */
    public List<JsonNode> items(String list) {
        List<JsonNode> out = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            for (JsonNode entry : delivery.json().path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    for (JsonNode item : change.path("value").path(list)) {
                        out.add(item);
                    }
                }
            }
        }
        return out;
    }

    /** Every change value of a field, e.g. message_template_status_update. */
    public List<JsonNode> changeValues(String field) {
        List<JsonNode> out = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            for (JsonNode entry : delivery.json().path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    if (field.equals(change.path("field").asString())) {
                        out.add(change.path("value"));
                    }
                }
            }
        }
        return out;
    }

    /** The change value that carried an item matching the predicate. */
    public JsonNode valueCarrying(String list, Predicate<JsonNode> item) {
        for (Delivery delivery : deliveries) {
            for (JsonNode entry : delivery.json().path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    for (JsonNode candidate : change.path("value").path(list)) {
                        if (item.test(candidate)) {
                            return change.path("value");
                        }
                    }
                }
            }
        }
        return null;
    }

    public JsonNode await(String list, Predicate<JsonNode> item, Duration timeout) {
        return Eventually.present(() -> items(list).stream().filter(item).findFirst(), "a " + list + " item matching", timeout);
    }

    public List<JsonNode> awaitCount(String list, Predicate<JsonNode> item, int count, Duration timeout) {
        return Eventually.await(() -> items(list).stream().filter(item).toList(), matching -> matching.size() >= count,
                count + " " + list + " items matching", timeout);
    }

    public static String hmacHex(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(body)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
