package hexa.sandbox.webhooks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Webhook POSTs to one callback URL over kept-alive HTTP/1.1 connections, written straight to a socket.
 *
 * <p>The sandbox shares its machine with the app it feeds, and a benchmark sends thousands of POSTs a second:
 * {@code java.net.http.HttpClient} spends about a millisecond of CPU and several thread hand-offs on each, which
 * the app under test then lacks. A POST here is one write and one read on the calling thread. Each connection is
 * used by one POST at a time; idle ones are kept for the next. A request that fails on a reused connection before
 * any answer came (the app closed it meanwhile) is sent once more on a new one; Meta, too, may deliver twice.
 */
final class CallbackConnections implements AutoCloseable {

    /** The status of the answer; the body is read and dropped. */
    record Answer(int status) {
    }

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final boolean tls;
    private final String target;
    private final String hostHeader;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    CallbackConnections(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("A callback URL is http or https: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("A callback URL needs a host: " + url);
        }
        this.tls = scheme.equals("https");
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        this.hostHeader = url.getPort() > 0 ? host + ":" + port : host;
    }

    /**
     * POSTs the body with the given extra headers ({@code name, value, name, value...}); waits at most
     * {@code timeoutMillis} for each read.
     */
    Answer post(byte[] body, int timeoutMillis, String... headers) throws IOException {
        byte[] head = head(body.length, headers);
        Connection reused = idle.pollFirst();
        if (reused != null) {
            try {
                return exchange(reused, head, body, timeoutMillis);
            } catch (StaleConnection e) {
                // Closed by the other side while idle: nothing was answered, so send it on a new connection.
            }
        }
        try {
            return exchange(open(timeoutMillis), head, body, timeoutMillis);
        } catch (StaleConnection e) {
            throw e.cause;
        }
    }

    private Answer exchange(Connection connection, byte[] head, byte[] body, int timeoutMillis) throws IOException {
        boolean answered = false;
        try {
            connection.socket.setSoTimeout(timeoutMillis);
            byte[] request = new byte[head.length + body.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            connection.out.write(request);
            connection.out.flush();
            int first = connection.in.read();
            if (first < 0) {
                throw new EOFException("connection closed before an answer");
            }
            answered = true;
            Parsed answer = readAnswer(connection.in, first);
            if (answer.keepAlive() && !closed) {
                connection.reused = true;
                idle.addFirst(connection);
            } else {
                connection.close();
            }
            return new Answer(answer.status());
        } catch (IOException | RuntimeException e) {
            connection.close();
            if (!answered && connection.reused && e instanceof IOException) {
                throw new StaleConnection((IOException) e);
            }
            throw e;
        }
    }

    private byte[] head(int length, String... headers) {
        StringBuilder head = new StringBuilder(256 + headers.length * 32)
                .append("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Content-Length: ").append(length).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private Connection open(int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls) {
                SSLSocket layered = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, host, port, true);
                SSLParameters parameters = layered.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                layered.setSSLParameters(parameters);
                socket = layered;
            }
            return new Connection(socket, false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private record Parsed(int status, boolean keepAlive) {
    }

    private static Parsed readAnswer(InputStream in, int first) throws IOException {
        String statusLine = line(in, first);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + statusLine);
        }
        boolean keepAlive = parts[0].equals("HTTP/1.1");
        long length = -1;
        boolean chunked = false;
        int headBytes = statusLine.length();
        for (String header = line(in, in.read()); !header.isEmpty(); header = line(in, in.read())) {
            headBytes += header.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("answer head too long");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.contains("chunked");
            } else if (name.equals("connection")) {
                keepAlive = value.contains("keep-alive") || (keepAlive && !value.contains("close"));
            }
        }
        if (chunked) {
            skipChunks(in);
        } else if (length >= 0) {
            skip(in, length);
        } else if (status >= 200 && status != 204 && status != 304) {
            // No length: the body runs to the end of the connection.
            while (in.read() >= 0) {
                // dropped
            }
            keepAlive = false;
        }
        return new Parsed(status, keepAlive);
    }

    private static void skipChunks(InputStream in) throws IOException {
        while (true) {
            String size = line(in, in.read());
            int semicolon = size.indexOf(';');
            long chunk;
            try {
                chunk = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + size);
            }
            if (chunk == 0) {
                // Trailers, up to the empty line.
                while (!line(in, in.read()).isEmpty()) {
                    // dropped
                }
                return;
            }
            skip(in, chunk);
            line(in, in.read());
        }
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("answer body cut short");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One line without its CRLF, starting with the byte already read. */
    private static String line(InputStream in, int first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b = first;
        while (true) {
            if (b < 0) {
                throw new EOFException("answer cut short");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
                if (line.size() > MAX_HEAD_BYTES) {
                    throw new IOException("answer line too long");
                }
            }
            b = in.read();
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.close();
        }
    }

    private static final class StaleConnection extends IOException {
        private final IOException cause;

        StaleConnection(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean reused;

        Connection(Socket socket, boolean reused) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
            this.reused = reused;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
