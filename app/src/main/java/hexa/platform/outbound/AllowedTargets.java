package hexa.platform.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's exceptions to the guard ({@code HEXA_OUTBOUND_ALLOWED}): host names as written in the web address,
 * addresses or address blocks, each with or without a port ({@code hooks.internal:8443}, {@code 10.0.0.5},
 * {@code 127.0.0.1:9000}, {@code 10.8.0.0/16}, {@code [fd00::5]:9000}).
 */
record AllowedTargets(List<Entry> entries) {

    /** One exception: a host name or an address block, and a port (-1 for any). */
    record Entry(String host, NetworkRanges.Cidr block, int port) {

        boolean permits(String urlHost, int urlPort, InetAddress address) {
            if (port != -1 && port != urlPort) {
                return false;
            }
            return host != null ? host.equals(urlHost) : block.contains(address);
        }
    }

    static AllowedTargets parse(List<String> written) {
        List<Entry> entries = new ArrayList<>();
        for (String each : written == null ? List.<String>of() : written) {
            String text = each == null ? "" : each.strip().toLowerCase(Locale.ROOT);
            if (!text.isEmpty()) {
                entries.add(entry(text));
            }
        }
        return new AllowedTargets(List.copyOf(entries));
    }

    boolean permits(String urlHost, int urlPort, InetAddress address) {
        return entries.stream().anyMatch(e -> e.permits(urlHost, urlPort, address));
    }

    private static Entry entry(String text) {
        try {
            if (text.contains("/")) {
                return new Entry(null, NetworkRanges.Cidr.parse(text), -1);
            }
            String target = text;
            int port = -1;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                target = text.substring(1, close);
                if (close + 1 < text.length()) {
                    port = Integer.parseInt(text.substring(close + 2));
                }
            } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
                target = text.substring(0, text.indexOf(':'));
                port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            }
            InetAddress literal = NetworkRanges.literal(target);
            return literal != null ? new Entry(null, NetworkRanges.Cidr.parse(literal.getHostAddress()), port) : new Entry(host(target), null, port);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("hexa.outbound.allowed: cannot read \"" + text
                    + "\" (write a host, host:port, an address, address:port, [IPv6]:port or a block such as 10.0.0.0/8)", e);
        }
    }

    private static String host(String name) {
        String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!host.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
            throw new IllegalArgumentException(name);
        }
        return host;
    }
}
