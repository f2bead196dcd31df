package dev.nanofleet.node.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resolvers a tenant bridge's DNS ({@link InternalDns}) forwards public names to: pure parsing of the
 * configuration ({@code nanofleet.node.dns.upstream}: IPv4 addresses with an optional port) and of the host's
 * {@code /etc/resolv.conf}, the default. Only IPv4 literals: a name would need a resolver to find the resolver, and
 * the forwarder's socket speaks IPv4.
 */
public final class DnsUpstreams {

    public static final int PORT = 53;
    /** More would only lengthen the wait for a dead one; resolv.conf itself honours three. */
    public static final int MAX = 3;

    private DnsUpstreams() {
    }

    /**
     * Parses {@code IP[:port]} entries.
     *
     * @throws IllegalArgumentException naming the entry that is not an IPv4 address with an optional port 1-65535, or
     *         when there are more than {@value #MAX}
     */
    public static List<InetSocketAddress> parse(List<String> entries) {
        if (entries.size() > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " upstream resolvers, not " + entries.size());
        }
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (String entry : entries) {
            upstreams.add(parse(entry));
        }
        return List.copyOf(upstreams);
    }

    /** One {@code IP[:port]} entry. */
    public static InetSocketAddress parse(String entry) {
        String s = entry == null ? "" : entry.strip();
        int colon = s.indexOf(':');
        int port = PORT;
        String address = s;
        if (colon >= 0) {
            address = s.substring(0, colon);
            String p = s.substring(colon + 1);
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw new IllegalArgumentException("'" + entry + "' is not IPv4-address[:port]: bad port");
            }
            port = Integer.parseInt(p);
        }
        if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("'" + entry + "' is not IPv4-address[:port]");
        }
        try {
            int a = Ipv4Subnet.address(address);
            return new InetSocketAddress(InetAddress.getByAddress(new byte[]{(byte) (a >>> 24), (byte) (a >>> 16),
                    (byte) (a >>> 8), (byte) a}), port);
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException("'" + entry + "' is not IPv4-address[:port]", e);
        }
    }

    /**
     * The IPv4 {@code nameserver} lines of a resolv.conf (port 53), the first {@value #MAX}; what is not an IPv4
     * literal (IPv6, a scoped address, junk) is skipped.
     */
    public static List<InetSocketAddress> fromResolvConf(String text) {
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || !words[0].toLowerCase(Locale.ROOT).equals("nameserver")) {
                continue;
            }
            try {
                InetSocketAddress a = parse(words[1]);
                if (a.getPort() == PORT && upstreams.size() < MAX) {
                    upstreams.add(a);
                }
            } catch (IllegalArgumentException e) {
                // not IPv4: the forwarder cannot use it
            }
        }
        return List.copyOf(upstreams);
    }

    /** The upstreams outside {@code platform} (the node's pool, the tenants' private ranges): never asked there. */
    public static List<InetSocketAddress> outside(List<InetSocketAddress> upstreams, List<Ipv4Subnet> platform) {
        return upstreams.stream().filter(u -> platform.stream().noneMatch(p -> p.contains(Ipv4Subnet.address(u
                .getAddress().getHostAddress())))).toList();
    }

    /** {@code a.b.c.d:port}, for logs. */
    public static String text(InetSocketAddress upstream) {
        return upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
    }
}
