package hexa.platform.outbound;

import hexa.platform.web.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Calls the web addresses that a workspace's people typed (a rule's webhook, a flow's webhook step) without letting
 * them reach into the network the server stands in: only http and https, no user name or password in the address,
 * and every address the host name resolves to must be a public one (or one the operator allowed, {@link
 * OutboundSettings}). The name is resolved once, and the connection goes to the addresses that were checked, so a
 * name that answers a public address to the check and a private one a moment later does not get through. Redirects
 * are not followed, nothing is tried twice, the waits are short and at most {@code maxResponse} of an answer is read.
 */
@Component
public class OutboundCalls {

    /** What the receiver answered: its status and the start of its body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The address may not be called; {@link #reason()} says why in people's words. */
    public static final class Refused extends Exception {
        private final String messageKey;
        private final transient Object[] args;

        Refused(String messageKey, Object... args) {
            super(messageKey);
            this.messageKey = messageKey;
            this.args = args;
        }

        public String messageKey() {
            return messageKey;
        }

        public String reason() {
            return Text.t(messageKey, args);
        }
    }

    /** An address that passed: the host as written, the port, and the addresses checked for it. */
    record Target(URI uri, String host, int port, List<InetAddress> addresses) {
    }

    /** How a host name becomes addresses: the system's resolver, asked once per check. */
    interface Names {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final OutboundSettings settings;
    private final AllowedTargets allowed;
    private final Lookup<TlsSocketStrategy> tls;
    private final Names names;

    @Autowired
    OutboundCalls(OutboundSettings settings) {
        this(settings, InetAddress::getAllByName);
    }

    OutboundCalls(OutboundSettings settings, Names names) {
        this.settings = settings;
        this.names = names;
        this.allowed = AllowedTargets.parse(settings.allowed());
        this.tls = RegistryBuilder.<TlsSocketStrategy>create().register("https", DefaultClientTlsStrategy.createSystemDefault()).build();
    }

    /**
     * Why this address may not be called, for a form or an API request that saves it; empty when it may. A host name
     * that cannot be resolved now is not refused here (the name server may be away for a moment): the call checks again.
     */
    public Optional<String> refusal(String url) {
        try {
            target(url);
            return Optional.empty();
        } catch (Refused refused) {
            return "outbound.refused.unknown-host".equals(refused.messageKey()) ? Optional.empty() : Optional.of(refused.reason());
        }
    }

    /**
     * POSTs the JSON to the address, after checking it again (what a name resolves to may have changed since it was
     * saved). Throws {@link Refused} without connecting when the address may not be called; IOException when the
     * receiver cannot be reached or does not answer in time.
     */
    public Answer postJson(String url, String json, Map<String, String> headers) throws Refused, IOException {
        Target target = target(url);
        // This client makes one request (no redirects, no retries): the only host it resolves is the target's.
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return target.addresses().toArray(new InetAddress[0]);
            }

            @Override
            public List<InetSocketAddress> resolve(String host, int port) {
                return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        BasicHttpClientConnectionManager connections = BasicHttpClientConnectionManager.create(DefaultSchemePortResolver.INSTANCE, checked, tls,
                ManagedHttpClientConnectionFactory.INSTANCE);
        Timeout read = Timeout.of(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        connections.setConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .setSocketTimeout(read).build());
        connections.setSocketConfig(SocketConfig.custom().setSoTimeout(read).build());
        HttpPost post = new HttpPost(target.uri());
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections).disableRedirectHandling()
                .disableAutomaticRetries().disableCookieManagement().disableAuthCaching().disableContentCompression()
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build()).build()) {
            ClassicHttpResponse response = client.executeOpen(null, post, null);
            try {
                return new Answer(response.getCode(), start(response.getEntity()));
            } finally {
                // Ends the exchange without reading what is left of a long answer.
                post.cancel();
                response.close();
            }
        } finally {
            connections.close(CloseMode.IMMEDIATE);
        }
    }

    private String start(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, settings.maxResponse().toBytes());
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[8192];
            int n;
            while (read.size() < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - read.size()))) != -1) {
                read.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Closing a stream that still has bytes to come may complain; what was read stands.
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    /** Checks the address and resolves its host once; the call connects to what this answers and nothing else. */
    Target target(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("outbound.refused.invalid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("outbound.refused.scheme");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new Refused("outbound.refused.user-info");
        }
        if (uri.getHost() == null) {
            throw new Refused("outbound.refused.invalid");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        InetAddress[] addresses;
        try {
            addresses = names.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("outbound.refused.unknown-host", host);
        }
        for (InetAddress address : addresses) {
            Optional<NetworkRanges.Kind> range = NetworkRanges.of(address);
            if (range.isPresent() && !allowed.permits(host, port, address) && !(settings.allowPrivateNetworks() && opened(range.get()))) {
                throw new Refused("outbound.refused.private", address.getHostAddress(), Text.t(range.get().messageKey()));
            }
        }
        return new Target(uri, host, port, List.of(addresses));
    }

    /** What allowing private networks opens: not link-local (cloud metadata) nor multicast, only named exceptions do. */
    private static boolean opened(NetworkRanges.Kind kind) {
        return kind != NetworkRanges.Kind.LINK_LOCAL && kind != NetworkRanges.Kind.MULTICAST;
    }
}
