package dev.nanofleet.controlapi.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which agent URLs control-api will call, so a node cannot point control-api at hosts that are not its own (no
 * server-side request forgery) nor add a path or query to the requests it receives. Accepted: {@code http://<IP
 * literal>[:port][/]} where the IP is the address the node registered from (its TCP peer address) or inside one of
 * the configured agent networks (for nodes whose agent listens on another interface than the one they call from).
 * Names are refused: their resolution can change after the check.
 */
public final class AgentUrlRules {

    private static final Pattern IPV4 = Pattern
            .compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");

    private final List<Network> agentNetworks;

    /**
     * @param agentNetworks CIDRs ({@code 10.20.0.0/16}, {@code fd00::/8}) an agent URL may point into whatever
     *        address the node calls from
     * @throws IllegalArgumentException naming the first entry that is not a CIDR
     */
    public AgentUrlRules(List<String> agentNetworks) {
        List<Network> networks = new ArrayList<>();
        for (String cidr : agentNetworks) {
            networks.add(Network.parse(cidr));
        }
        this.agentNetworks = List.copyOf(networks);
    }

    /** Why the URL is refused, or null when control-api may call it. */
    public String refusal(String agentUrl, String peerAddress) {
        AgentAddress address;
        try {
            address = parse(agentUrl);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        InetAddress host = address.host();
        if (host.isAnyLocalAddress() || host.isMulticastAddress()) {
            return "must name one host, not " + host.getHostAddress();
        }
        InetAddress peer = literal(peerAddress);
        if (host.equals(peer) || agentNetworks.stream().anyMatch(n -> n.contains(host))) {
            return null;
        }
        return "must be an address of this node: " + host.getHostAddress() + " is neither the address it registered"
                + " from (" + peerAddress + ") nor inside nanofleet.node-api.agent-networks " + agentNetworks;
    }

    /**
     * The address of an agent URL that has nothing but scheme http, an IP literal and a port.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static AgentAddress parse(String agentUrl) {
        URI uri;
        try {
            uri = new URI(agentUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("must be an http URL, not '" + uri.getScheme() + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry user information");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query or fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("must not have a path (control-api adds its own), not '" + path + "'");
        }
        String host = uri.getHost();
        if (host == null || !(IPV4.matcher(host).matches() || IPV6.matcher(host).matches())) {
            throw new IllegalArgumentException("must name its host by IP address, not '"
                    + (host == null ? uri.getRawAuthority() : host) + "'");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("must have a port between 1 and 65535, not " + port);
        }
        return new AgentAddress(literal(host.startsWith("[") ? host.substring(1, host.length() - 1) : host), port);
    }

    /** An IP literal as an address; never a name lookup (callers pass literals only). */
    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not an IP address: " + ip);
        }
    }

    private record Network(InetAddress base, int prefix, String text) {
        static Network parse(String cidr) {
            String[] parts = cidr.strip().split("/", -1);
            if (parts.length != 2 || !(IPV4.matcher(parts[0]).matches() || parts[0].contains(":"))) {
                throw new IllegalArgumentException("nanofleet.node-api.agent-networks: '" + cidr
                        + "' is not a CIDR such as 10.20.0.0/16");
            }
            InetAddress base = literal(parts[0]);
            int max = base instanceof Inet4Address ? 32 : 128;
            int prefix;
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("nanofleet.node-api.agent-networks: '" + cidr
                        + "' needs a prefix length between 0 and " + max);
            }
            return new Network(base, prefix, cidr.strip().toLowerCase(Locale.ROOT));
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            byte[] b = base.getAddress();
            if (a.length != b.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
