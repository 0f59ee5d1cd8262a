package hexa.whatsapp;

import hexa.platform.web.PublicUrl;
import hexa.sandbox.access.CallbackPolicy;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A sandbox number inside the app may send its webhooks only to this server's own webhook path: at the public URL,
 * or on this machine at the port the server listens on. Anything else would let a caller make the server send
 * requests (retried, with the answer shown back) to any address it can reach.
 */
class OwnWebhookCallbacks implements CallbackPolicy {

    private static final String WEBHOOK_PATH = "/webhooks/whatsapp/";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final PublicUrl publicUrl;

    OwnWebhookCallbacks(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @Override
    public Optional<String> refusal(String callbackUrl) {
        URI own = URI.create(publicUrl.atStartup());
        String expected = publicUrl.atStartup() + WEBHOOK_PATH + "<key>";
        URI uri;
        try {
            uri = new URI(callbackUrl.strip()).normalize();
        } catch (java.net.URISyntaxException e) {
            return Optional.of(refused(callbackUrl, expected));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        boolean ownPath = path.startsWith(WEBHOOK_PATH) && path.substring(WEBHOOK_PATH.length()).matches("[A-Za-z0-9_-]+")
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        boolean publicOrigin = scheme.equals(own.getScheme()) && host.equalsIgnoreCase(own.getHost()) && port(uri) == port(own);
        boolean thisMachine = scheme.equals("http") && LOOPBACK.contains(host) && LOOPBACK.contains(own.getHost().toLowerCase(Locale.ROOT))
                && port(uri) == port(own);
        if (ownPath && (publicOrigin || thisMachine)) {
            return Optional.empty();
        }
        return Optional.of(refused(callbackUrl, expected));
    }

    private static String refused(String callbackUrl, String expected) {
        return "A sandbox number may send its webhooks only to this server's own webhook path (" + expected + "), not to "
                + callbackUrl + ". Nothing was changed.";
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
