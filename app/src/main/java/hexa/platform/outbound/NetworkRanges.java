package hexa.platform.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges that are not the public internet: this machine, private and carrier-grade NAT networks,
 * link-local (where cloud providers serve their metadata), multicast, "any" and reserved ranges. IPv6 forms that carry
 * an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address they carry.
 */
final class NetworkRanges {

    /** What kind of range an address is in; its message key names it for people. */
    enum Kind {
        LOOPBACK, PRIVATE, LINK_LOCAL, MULTICAST, ANY, RESERVED;

        String messageKey() {
            return "outbound.range." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    record Range(Cidr cidr, Kind kind) {
    }

    private static final List<Range> RANGES = List.of(
            range("0.0.0.0/8", Kind.ANY),
            range("10.0.0.0/8", Kind.PRIVATE),
            range("100.64.0.0/10", Kind.PRIVATE),
            range("127.0.0.0/8", Kind.LOOPBACK),
            range("169.254.0.0/16", Kind.LINK_LOCAL),
            range("172.16.0.0/12", Kind.PRIVATE),
            range("192.0.0.0/24", Kind.RESERVED),
            range("192.168.0.0/16", Kind.PRIVATE),
            range("198.18.0.0/15", Kind.RESERVED),
            range("224.0.0.0/4", Kind.MULTICAST),
            range("240.0.0.0/4", Kind.RESERVED),
            range("::/128", Kind.ANY),
            range("::1/128", Kind.LOOPBACK),
            range("64:ff9b:1::/48", Kind.PRIVATE),
            range("fc00::/7", Kind.PRIVATE),
            range("fe80::/10", Kind.LINK_LOCAL),
            range("fec0::/10", Kind.PRIVATE),
            range("ff00::/8", Kind.MULTICAST));

    private NetworkRanges() {
    }

    /** The range the address is in, or empty for a public address. */
    static Optional<Kind> of(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of(Kind.ANY);
        }
        if (address.isLoopbackAddress()) {
            return Optional.of(Kind.LOOPBACK);
        }
        InetAddress carried = carriedIpv4(address);
        if (carried != null) {
            return of(carried);
        }
        return RANGES.stream().filter(r -> r.cidr().contains(address)).map(Range::kind).findFirst();
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo), or null. */
    static InetAddress carriedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean zeroTen = allZero(b, 0, 10);
        if (zeroTen && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return v4(b, 12, false);
        }
        if (zeroTen && b[10] == 0 && b[11] == 0) {
            return v4(b, 12, false);
        }
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            return v4(b, 12, false);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return v4(b, 2, false);
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return v4(b, 12, true);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b, int at, boolean inverted) {
        byte[] four = Arrays.copyOfRange(b, at, at + 4);
        if (inverted) {
            for (int i = 0; i < 4; i++) {
                four[i] = (byte) ~four[i];
            }
        }
        try {
            return Inet4Address.getByAddress(four);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Range range(String cidr, Kind kind) {
        return new Range(Cidr.parse(cidr), kind);
    }

    /** An address block: {@code 10.0.0.0/8}, {@code fc00::/7}; a single address is its own block. */
    record Cidr(byte[] network, int bits) {

        /** Parses a literal block or address; never asks DNS. Throws IllegalArgumentException when it is neither. */
        static Cidr parse(String text) {
            String[] parts = text.strip().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an address: " + text);
            }
            int max = address.getAddress().length * 8;
            int bits = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : max;
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("not a prefix length: " + text);
            }
            return new Cidr(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }

    /** The address written as a literal (dotted IPv4, IPv6 with or without brackets), or null for a name. */
    static InetAddress literal(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
