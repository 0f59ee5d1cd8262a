package hexa.sandbox.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's webhook sender speaks HTTP/1.1 to a real socket server here: each answer is written by hand, the
 * way different servers answer (with a length, chunked, closing, HTTP/1.0), and the requests are read back.
 */
class CallbackConnectionsTest {

    /** What the server received: request line, headers and body of each POST, and on which connection. */
    record Received(int connection, String requestLine, List<String> headers, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;

    /** Serves every connection with the answers the function gives for the n-th request on it (from 0). */
    private URI serve(Function<Integer, String> answers) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int id = connections.incrementAndGet();
                    Thread handler = new Thread(() -> handle(socket, id, answers));
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/webhooks/whatsapp/wh_key?x=1");
    }

    private void handle(Socket socket, int id, Function<Integer, String> answers) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            for (int n = 0; ; n++) {
                String requestLine = in.readLine();
                if (requestLine == null) {
                    return;
                }
                List<String> headers = new java.util.ArrayList<>();
                int length = 0;
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    headers.add(header);
                    if (header.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(header.substring(15).trim());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                received.add(new Received(id, requestLine, headers, new String(body)));
                String answer = answers.apply(n);
                if (answer == null) {
                    return; // closes without answering
                }
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (answer.contains("Connection: close") || answer.startsWith("HTTP/1.0")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void posts_the_body_with_its_headers_and_reuses_the_connection() throws IOException {
        URI url = serve(n -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThat(callbacks.post(body("{\"a\":1}"), 2000, "X-Hub-Signature-256", "sha256=ab", "Content-Type", "application/json").status())
                    .isEqualTo(200);
            assertThat(callbacks.post(body("{\"b\":2}"), 2000).status()).isEqualTo(200);
        }
        assertThat(received).hasSize(2);
        Received first = received.get(0);
        assertThat(first.requestLine()).isEqualTo("POST /webhooks/whatsapp/wh_key?x=1 HTTP/1.1");
        assertThat(first.headers()).contains("Host: 127.0.0.1:" + server.getLocalPort(), "Content-Length: 7",
                "X-Hub-Signature-256: sha256=ab", "Content-Type: application/json");
        assertThat(first.body()).isEqualTo("{\"a\":1}");
        assertThat(received.get(1).body()).isEqualTo("{\"b\":2}");
        assertThat(received.get(1).connection()).as("kept alive").isEqualTo(first.connection());
    }

    @Test
    void reads_answers_with_a_body_chunked_or_closing() throws IOException {
        URI url = serve(n -> switch (n) {
            case 0 -> "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nbad signatur";
            case 1 -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nTrailer: t\r\n\r\n";
            default -> "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n";
        });
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThat(callbacks.post(body("1"), 2000).status()).isEqualTo(401);
            assertThat(callbacks.post(body("2"), 2000).status()).isEqualTo(200);
            assertThat(callbacks.post(body("3"), 2000).status()).isEqualTo(503);
            assertThat(callbacks.post(body("4"), 2000).status()).as("after a close, a new connection (its first answer)").isEqualTo(401);
        }
        assertThat(received).extracting(Received::connection).containsExactly(1, 1, 1, 2);
    }

    @Test
    void an_http_1_0_answer_without_length_is_read_to_its_end() throws IOException {
        URI url = serve(n -> "HTTP/1.0 200 OK\r\n\r\nEVENT_RECEIVED");
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThat(callbacks.post(body("1"), 2000).status()).isEqualTo(200);
            assertThat(callbacks.post(body("2"), 2000).status()).isEqualTo(200);
        }
        assertThat(received).extracting(Received::connection).containsExactly(1, 2);
    }

    @Test
    void a_connection_the_server_dropped_while_idle_is_replaced_and_the_post_sent_once_more() throws IOException {
        // The first connection answers once, then is closed by the server when the next request arrives.
        URI url = serve(n -> n == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" : null);
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThat(callbacks.post(body("1"), 2000).status()).isEqualTo(200);
            assertThat(callbacks.post(body("2"), 2000).status()).isEqualTo(200);
        }
        assertThat(received).extracting(Received::body).containsExactly("1", "2", "2");
        assertThat(received).extracting(Received::connection).containsExactly(1, 1, 2);
    }

    @Test
    void a_server_that_never_answers_times_out_and_one_that_is_gone_is_refused() throws IOException {
        URI url = serve(n -> {
            try {
                // A server that does not answer within the client's 300 ms read timeout (a wall-clock timeout of the socket).
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        });
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThatThrownBy(() -> callbacks.post(body("slow"), 300)).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        server.close();
        try (CallbackConnections callbacks = new CallbackConnections(url)) {
            assertThatThrownBy(() -> callbacks.post(body("gone"), 300)).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> new CallbackConnections(URI.create("ftp://example.com/x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
