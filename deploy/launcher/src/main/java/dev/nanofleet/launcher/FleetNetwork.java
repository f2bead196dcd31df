package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network that several local nodes share, like hosts on one rack switch: a bridge in the host's network namespace
 * holding the first address of a /24, and per node a network namespace joined to it by a veth pair ({@code eth0}
 * inside, the node's address). The platform's services that nodes call (control-api, the registry) listen on the
 * bridge's address; nothing is routed or NATed, so a namespace reaches that subnet and nothing else.
 *
 * <p>
 * Names carry a hash of the platform's home, so {@code ./fleet up} and the end-to-end tests' platform can share a
 * host. The subnet is the first free /24 of {@link #CANDIDATES} (free: overlapping no address or route of the host, so
 * not podman's 10.88.0.0/16 nor the node agents' instance pools), chosen once and kept in the home's data.
 */
final class FleetNetwork implements HostSetup {

    /** Where the bridge's /24 is taken from: away from podman, Docker, libvirt, Kubernetes and our agents' pools. */
    static final Ipv4Network CANDIDATES = Ipv4Network.parse("10.230.0.0/16");
    /** The instance pools of the nodes: node i takes the i-th /19 (32 tenants per node). */
    static final Ipv4Network NODE_POOLS = Ipv4Network.parse("10.213.0.0/16");
    static final int MAX_NODES = 8;
    static final List<String> ZONES = List.of("local-a", "local-b", "local-c");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern CIDR = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?)");

    private final String bridge;
    private final Ipv4Network subnet;
    private final Path record;
    private final List<LocalNode> nodes;

    private FleetNetwork(String bridge, Ipv4Network subnet, Path record, List<LocalNode> nodes) {
        this.bridge = bridge;
        this.subnet = subnet;
        this.record = record;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * The network of {@code count} nodes for the platform in {@code layout}: the subnet it recorded earlier, else the
     * first free one now (reads the host's addresses and routes; changes nothing).
     */
    static FleetNetwork plan(Layout layout, int count) {
        Path record = layout.data("fleet-network").resolve("subnet");
        Ipv4Network subnet;
        try {
            subnet = Files.isRegularFile(record)
                    ? Ipv4Network.parse(Files.readString(record).strip())
                    : choose(hostNetworks(ip("-4", "-o", "addr", "show"), ip("-4", "route", "show")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record, e);
        }
        return plan(layout, count, subnet, record);
    }

    static FleetNetwork plan(Layout layout, int count, Ipv4Network subnet, Path record) {
        if (count < 2 || count > MAX_NODES) {
            throw new IllegalArgumentException("a fleet network has 2 to " + MAX_NODES + " nodes, not " + count);
        }
        String hash = hash(layout.home().toAbsolutePath().normalize().toString());
        List<LocalNode> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = "local-" + i;
            String component = "node-agent-" + name;
            nodes.add(new LocalNode(name, component, layout.data(component).resolve("state"), subnet.host(10 + i),
                    Optional.of("nanofleet-" + hash + "-" + name), Map.of("zone", ZONES.get((i - 1) % ZONES.size())),
                    "nanofleet-" + name, NODE_POOLS.subnet(19, i - 1).toString()));
        }
        return new FleetNetwork("nfl-" + hash, subnet, record, nodes);
    }

    /** The first /24 of {@link #CANDIDATES} that overlaps none of {@code host}. */
    static Ipv4Network choose(Collection<Ipv4Network> host) {
        for (int i = 0; i < 256; i++) {
            Ipv4Network candidate = CANDIDATES.subnet(24, i);
            if (host.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new LaunchException("no /24 of " + CANDIDATES + " is free on this host for the nodes' network", null);
    }

    /**
     * Every IPv4 network in the output of {@code ip -4 -o addr show} and {@code ip -4 route show}: the addresses'
     * networks and the routes' destinations (a host route without a prefix as /32). Loopback and the default route
     * are left out.
     */
    static List<Ipv4Network> hostNetworks(String addrs, String routes) {
        List<Ipv4Network> used = new ArrayList<>();
        for (String line : addrs.lines().toList()) {
            Matcher inet = Pattern.compile("\\binet (\\S+)").matcher(line);
            if (inet.find() && !inet.group(1).startsWith("127.")) {
                used.add(Ipv4Network.parse(inet.group(1)));
            }
        }
        for (String line : routes.lines().toList()) {
            String destination = line.strip().split("\\s+", 2)[0];
            if (destination.startsWith("default") || !CIDR.matcher(destination).matches()) {
                continue;
            }
            if (!destination.startsWith("127.")) {
                used.add(Ipv4Network.parse(destination));
            }
        }
        return used;
    }

    List<LocalNode> nodes() {
        return nodes;
    }

    /** The host's address on the bridge: where nodes reach control-api and the registry. */
    String hostAddress() {
        return subnet.host(1);
    }

    String bridge() {
        return bridge;
    }

    Ipv4Network subnet() {
        return subnet;
    }

    @Override
    public String name() {
        return "node-network";
    }

    @Override
    public String describe() {
        return bridge + " " + subnet + ", " + nodes.size() + " namespaces";
    }

    @Override
    public boolean present() {
        return linkExists(bridge) && nodes.stream().allMatch(n -> Files.exists(netnsPath(n)));
    }

    /** Creates what is missing: bridge, its address, each node's namespace, veth pair and address. Idempotent. */
    @Override
    public void ensure() {
        if (!linkExists(bridge)) {
            ip("link", "add", bridge, "type", "bridge");
        }
        // no IPv6 on the bridge: link-local addresses would make the nodes reach more than the services' address
        quietly(List.of("sysctl", "-q", "-w", "net.ipv6.conf." + bridge + ".disable_ipv6=1"));
        ip("addr", "replace", subnet.host(1) + "/" + subnet.prefix(), "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 0; i < nodes.size(); i++) {
            LocalNode node = nodes.get(i);
            String netns = node.netns().orElseThrow();
            String veth = hostVeth(i + 1);
            if (!Files.exists(netnsPath(node))) {
                ip("netns", "add", netns);
            }
            if (!linkExists(veth)) {
                ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
            }
            ip("link", "set", veth, "master", bridge, "up");
            // nsenter, not ip -n / ip netns exec (which remount /sys in the namespace they enter)
            inside(netns, "addr", "replace", node.address() + "/" + subnet.prefix(), "dev", "eth0");
            inside(netns, "link", "set", "eth0", "up");
            inside(netns, "link", "set", "lo", "up");
        }
        write(record, subnet + "\n");
    }

    /** Deletes the namespaces (with every device still in them), the veths and the bridge. Idempotent. */
    @Override
    public void remove() {
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).netns().ifPresent(netns -> quietly(List.of("ip", "netns", "del", netns)));
            quietly(List.of("ip", "link", "del", hostVeth(i + 1)));
        }
        quietly(List.of("ip", "link", "del", bridge));
    }

    /** The host end of node {@code index}'s veth pair (at most 15 characters). */
    String hostVeth(int index) {
        return bridge.replace("-", "") + "-" + index;
    }

    static Path netnsPath(LocalNode node) {
        return Path.of("/run/netns", node.netns().orElseThrow());
    }

    private static boolean linkExists(String name) {
        return quietly(List.of("ip", "link", "show", "dev", name));
    }

    private static String inside(String netns, String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, "ip"));
        command.addAll(List.of(args));
        return ManagedProcess.run(TOOL_TIMEOUT, command);
    }

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return ManagedProcess.run(TOOL_TIMEOUT, command);
    }

    private static boolean quietly(List<String> command) {
        try {
            ManagedProcess.run(TOOL_TIMEOUT, command);
            return true;
        } catch (RuntimeException e) {
            return false; // not there (any more)
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
