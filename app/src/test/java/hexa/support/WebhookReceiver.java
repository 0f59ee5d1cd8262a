package hexa.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one web service the tests' automations may call: a receiver on this machine that the outbound guard lets through
 * by its exact address and port ({@code hexa.outbound.allowed}, set by {@link HexaIntegrationTest}), so the guard stays
 * on in every test. Each test takes its own hook ({@link #hook()}) and reads what came to it.
 */
public final class WebhookReceiver {

    /** What one POST brought: its body and its headers (names in lower case). */
    public record Received(String body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A path of its own on the receiver, answering {@code status}. */
    public static final class Hook {
        private final String path;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private volatile int status = 204;

        private Hook(String path) {
            this.path = path;
        }

        public String url() {
            return "http://" + address() + path;
        }

        public List<Received> received() {
            return received;
        }

        /** Takes the hook off the receiver: what comes to it later is answered 404. */
        public void stop() {
            HOOKS.remove(path);
        }

        public Hook answering(int status) {
            this.status = status;
            return this;
        }
    }

    private static final Map<String, Hook> HOOKS = new ConcurrentHashMap<>();
    private static volatile HttpServer server;

    private WebhookReceiver() {
    }

    /** A new hook on the receiver, which starts on first use. */
    public static Hook hook() {
        Hook hook = new Hook("/hooks/" + UUID.randomUUID());
        HOOKS.put(hook.path, hook);
        return hook;
    }

    /** The receiver's {@code host:port}, as the outbound guard's allow list names it. */
    public static synchronized String address() {
        if (server == null) {
            try {
                HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                started.createContext("/", exchange -> {
                    Hook hook = HOOKS.get(exchange.getRequestURI().getPath());
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (hook == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        Map<String, String> headers = new ConcurrentHashMap<>();
                        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
                        hook.received.add(new Received(new String(body, StandardCharsets.UTF_8), headers));
                        exchange.sendResponseHeaders(hook.status, -1);
                    }
                    exchange.close();
                });
                started.start();
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "127.0.0.1:" + server.getAddress().getPort();
    }
}
