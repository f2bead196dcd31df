package dev.nanofleet.node.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import dev.nanofleet.nodeapi.PublishedPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The node's instance networking: one bridge per tenant ({@link NetNames#bridge}) holding {@code .1} of a /24 taken
 * from the node's pool, instances attached to their tenant's bridge (a container by a veth pair into its own network
 * namespace, a VM by a tap device), the iptables walls of {@link WallRules}, and a {@link PortForwarder} per published
 * port.
 *
 * <p>
 * What each instance got is recorded in {@code <state-dir>/network/instances/<id>.json} (tenant, bridge, address,
 * devices, port bindings), shared by the runc and the QEMU runtime (a tenant's containers and VMs share its bridge), so
 * a restarted agent keeps addresses and node ports and restarts the forwarders ({@link #view}). A bridge's subnet is
 * read back from the bridge itself. New subnets avoid every IPv4 network the host has on an interface or in its main
 * routing table; choosing one and adding it is serialised host-wide (a file lock under {@code /run}), because several
 * agents may share a host.
 *
 * <p>
 * Thread-safe: attach and detach are serialised per agent.
 */
public final class NodeNetwork implements AutoCloseable {

    /** A container's or a VM's place on its tenant's network. */
    public record Attachment(UUID instance, String tenant, String bridge, String address, int prefix, String gateway,
            String device, String netns, String mac, List<PortBinding> ports) {

        /** The network namespace's path for config.json; null for a VM. */
        public String netnsPath() {
            return netns == null ? null : NETNS_DIR.resolve(netns).toString();
        }

        public InstanceNetwork view() {
            return new InstanceNetwork(address, ports);
        }
    }

    public static final String DEFAULT_POOL = "10.88.0.0/16";
    static final Path NETNS_DIR = Path.of("/run/netns");
    private static final int SUBNET_LENGTH = 24;
    private static final Logger LOG = System.getLogger(NodeNetwork.class.getName());
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
    private static final ReentrantLock HOST_LOCK = new ReentrantLock();
    private static final Path HOST_LOCK_FILE = Path.of("/run/nanofleet-network.lock");

    private final String nodeName;
    private final Path stateDir;
    private final Ipv4Subnet pool;
    private final InetAddress publishAddress;
    private final String ip;
    private final String backend;
    private final Path records;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<UUID, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<String, Ipv4Subnet> bridges = new ConcurrentHashMap<>();
    private final Map<UUID, List<PortForwarder>> forwarders = new ConcurrentHashMap<>();

    private NodeNetwork(String nodeName, Path stateDir, Ipv4Subnet pool, InetAddress publishAddress, String ip,
            String backend) {
        this.nodeName = nodeName;
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.pool = pool;
        this.publishAddress = publishAddress;
        this.ip = ip;
        this.backend = backend;
        this.records = this.stateDir.resolve("network/instances");
        try {
            Files.createDirectories(records);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + records, e);
        }
        load();
    }

    /**
     * Checks the host's tools, installs the walls and reads back what an earlier agent on this state directory
     * attached.
     *
     * @param pool the IPv4 network tenant subnets (/24 each) are taken from, e.g. {@link #DEFAULT_POOL}
     * @param publishAddress the address published ports listen on, e.g. {@code 0.0.0.0}
     * @throws IllegalStateException with a reason for a person when the host cannot do it (no ip or iptables, not
     *         root, iptables failing)
     */
    public static NodeNetwork setUp(String nodeName, Path stateDir, String pool, String publishAddress) {
        Ipv4Subnet subnetPool;
        InetAddress bind;
        try {
            subnetPool = Ipv4Subnet.parse(pool);
            bind = InetAddress.getByName(publishAddress);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("bad network configuration: " + e.getMessage(), e);
        }
        if (subnetPool.prefix() > SUBNET_LENGTH) {
            throw new IllegalStateException("the subnet pool " + pool + " is smaller than one /" + SUBNET_LENGTH);
        }
        String ip = tool("ip").orElseThrow(() -> new IllegalStateException("ip (iproute2) not found"));
        String iptables = tool("iptables").orElseThrow(
                () -> new IllegalStateException("iptables not found (Debian package iptables)"));
        Exec.Result version = Exec.run(List.of(iptables, "--version"), TOOL_TIMEOUT);
        if (!version.ok()) {
            throw new IllegalStateException("iptables --version failed: " + version.message());
        }
        String backend = version.stdout().strip();
        hostLocked(() -> {
            installRules(iptables);
            return null;
        });
        LOG.log(Level.INFO, "event=network.ready pool={0} publishAddress={1} iptables=\"{2}\"", subnetPool,
                bind.getHostAddress(), backend);
        return new NodeNetwork(nodeName, stateDir, subnetPool, bind, ip, backend);
    }

    /** What {@code iptables --version} said, e.g. {@code iptables v1.8.9 (nf_tables)}. */
    public String backend() {
        return backend;
    }

    public Ipv4Subnet pool() {
        return pool;
    }

    /** The bridge of a tenant on this node (whether it exists or not). */
    public String bridgeName(String tenant) {
        return NetNames.bridge(nodeName, stateDir, tenant);
    }

    /**
     * Gives a container its network namespace, with {@code eth0} (address, default route via the bridge) and
     * {@code lo} up, on its tenant's bridge, and starts forwarding its published ports. Replaces what an earlier start
     * of the same instance left; keeps its address and node ports.
     */
    public synchronized Attachment attachContainer(UUID id, String tenant, List<PublishedPort> ports) {
        String netns = NetNames.netns(stateDir, id);
        String veth = NetNames.veth(stateDir, id);
        stopForwarding(id); // a start again of the same instance: its node ports are bound anew below
        removeDevices(netns, veth);
        Attachment a = allocate(id, tenant, veth, netns, null, ports);
        try {
            run(List.of(ip, "-batch", "-"), "netns add " + netns + "\n" //
                    + "link add " + veth + " type veth peer name eth0 netns " + netns + "\n" //
                    + "link set dev " + veth + " alias " + NetNames.alias(stateDir) + "\n" //
                    + "link set dev " + veth + " master " + a.bridge() + "\n" //
                    + "link set dev " + veth + " up\n");
            run(List.of(ip, "-n", netns, "-batch", "-"), "addr add " + a.address() + "/" + a.prefix() + " dev eth0\n" //
                    + "link set dev eth0 up\n" //
                    + "link set dev lo up\n" //
                    + "route add default via " + a.gateway() + "\n");
        } catch (RuntimeFailure e) {
            detach(id);
            throw e;
        }
        startForwarding(a);
        return attachments.get(id);
    }

    /** Gives a VM a tap device on its tenant's bridge and starts forwarding its published ports. */
    public synchronized Attachment attachVm(UUID id, String tenant, List<PublishedPort> ports) {
        String tap = NetNames.tap(stateDir, id);
        stopForwarding(id);
        removeDevices(null, tap);
        Attachment a = allocate(id, tenant, tap, null, NetNames.mac(stateDir, id), ports);
        try {
            run(List.of(ip, "-batch", "-"), "tuntap add dev " + tap + " mode tap\n" //
                    + "link set dev " + tap + " alias " + NetNames.alias(stateDir) + "\n" //
                    + "link set dev " + tap + " master " + a.bridge() + "\n" //
                    + "link set dev " + tap + " up\n");
        } catch (RuntimeFailure e) {
            detach(id);
            throw e;
        }
        startForwarding(a);
        return attachments.get(id);
    }

    /**
     * Where a running instance is reachable, if it has a network; (re)starts its forwarders if this agent has not yet
     * (an instance adopted after an agent restart).
     */
    public Optional<InstanceNetwork> view(UUID id) {
        Attachment a = attachments.get(id);
        if (a == null) {
            return Optional.empty();
        }
        if (!a.ports().isEmpty() && !forwarders.containsKey(id)) {
            synchronized (this) {
                a = attachments.get(id);
                if (a != null && !forwarders.containsKey(id)) {
                    try {
                        startForwarding(a);
                    } catch (RuntimeFailure e) {
                        LOG.log(Level.WARNING, "event=network.forwarding.failed instance={0} reason=\"{1}\"", id,
                                e.getMessage());
                    }
                    a = attachments.get(id);
                }
            }
        }
        return Optional.ofNullable(a).map(Attachment::view);
    }

    /** The attachment of an instance, if it has one. */
    public Optional<Attachment> attachment(UUID id) {
        return Optional.ofNullable(attachments.get(id));
    }

    /**
     * Stops forwarding, deletes the instance's namespace and devices and its record, and its tenant's bridge if no
     * other instance of this agent is on it. Idempotent.
     */
    public synchronized void detach(UUID id) {
        stopForwarding(id);
        Attachment a = attachments.remove(id);
        removeDevices(NetNames.netns(stateDir, id), NetNames.veth(stateDir, id));
        removeDevices(null, NetNames.tap(stateDir, id));
        InstanceFiles.deleteQuietly(records.resolve(id + ".json"));
        if (a != null && attachments.values().stream().noneMatch(o -> o.bridge().equals(a.bridge()))) {
            bridges.remove(a.bridge());
            if (linkExists(a.bridge())) {
                Exec.Result r = Exec.run(List.of(ip, "link", "del", a.bridge()), TOOL_TIMEOUT);
                LOG.log(r.ok() ? Level.INFO : Level.WARNING,
                        "event=network.bridge.deleted bridge={0} tenant={1} ok={2} reason=\"{3}\"", a.bridge(),
                        a.tenant(), r.ok(), r.message());
            }
        }
    }

    /** Detaches every instance this agent's state directory records (its devices, bridges and records go). */
    public synchronized void detachAll() {
        for (UUID id : List.copyOf(attachments.keySet())) {
            detach(id);
        }
    }

    /** Stops every forwarder (the agent is shutting down); devices and records stay for the next agent. */
    @Override
    public void close() {
        for (UUID id : List.copyOf(forwarders.keySet())) {
            stopForwarding(id);
        }
    }

    // --- allocation ---

    private Attachment allocate(UUID id, String tenant, String device, String netns, String mac,
            List<PublishedPort> ports) {
        String bridge = bridgeName(tenant);
        Ipv4Subnet subnet = ensureBridge(bridge, tenant);
        Attachment earlier = attachments.get(id);
        int host = -1;
        if (earlier != null && earlier.bridge().equals(bridge) && subnet.contains(Ipv4Subnet.address(earlier
                .address()))) {
            host = Ipv4Subnet.address(earlier.address()) - subnet.base();
        } else {
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (Attachment o : attachments.values()) {
                if (o.bridge().equals(bridge) && !o.instance().equals(id)) {
                    taken.add(Ipv4Subnet.address(o.address()) - subnet.base());
                }
            }
            for (int i = 2; i < subnet.size() - 1; i++) {
                if (!taken.contains(i)) {
                    host = i;
                    break;
                }
            }
            if (host < 0) {
                throw new RuntimeFailure("no address left on the network " + subnet + " of tenant " + tenant);
            }
        }
        // node ports: the earlier ones where the container port is the same, else picked when forwarding starts
        Map<Integer, Integer> earlierPorts = new HashMap<>();
        if (earlier != null) {
            earlier.ports().forEach(p -> earlierPorts.put(p.containerPort(), p.hostPort()));
        }
        List<PortBinding> bindings = new ArrayList<>();
        for (PublishedPort p : ports == null ? List.<PublishedPort>of() : ports) {
            bindings.add(new PortBinding(p.containerPort(), earlierPorts.getOrDefault(p.containerPort(), 0)));
        }
        Attachment a = new Attachment(id, tenant, bridge, subnet.host(host), subnet.prefix(), subnet.host(1), device,
                netns, mac, List.copyOf(bindings));
        attachments.put(id, a);
        write(a);
        return a;
    }

    /** The bridge's subnet; creates the bridge with a free subnet first if it is missing. */
    private Ipv4Subnet ensureBridge(String bridge, String tenant) {
        Ipv4Subnet known = bridges.get(bridge);
        if (known != null && linkExists(bridge)) {
            return known;
        }
        Ipv4Subnet subnet = hostLocked(() -> {
            Optional<Ipv4Subnet> existing = bridgeSubnet(bridge);
            if (existing.isPresent()) {
                return existing.get();
            }
            if (!linkExists(bridge)) {
                run(List.of(ip, "-batch", "-"), "link add name " + bridge + " type bridge\n" //
                        + "link set dev " + bridge + " alias " + NetNames.alias(stateDir) + "\n");
            }
            // no IPv6 on the bridge: a link-local address would let instances reach host services over IPv6
            writeSysctl(Path.of("/proc/sys/net/ipv6/conf", bridge, "disable_ipv6"), "1");
            Ipv4Subnet chosen = Ipv4Subnet.firstFree(pool, SUBNET_LENGTH, subnetsInUse())
                    .orElseThrow(() -> new RuntimeFailure("no free /" + SUBNET_LENGTH + " left in the pool " + pool));
            run(List.of(ip, "-batch", "-"), "addr add " + chosen.host(1) + "/" + chosen.prefix() + " dev " + bridge
                    + "\n" + "link set dev " + bridge + " up\n");
            LOG.log(Level.INFO, "event=network.bridge.created bridge={0} tenant={1} subnet={2}", bridge, tenant,
                    chosen);
            return chosen;
        });
        bridges.put(bridge, subnet);
        return subnet;
    }

    private Optional<Ipv4Subnet> bridgeSubnet(String bridge) {
        if (!linkExists(bridge)) {
            return Optional.empty();
        }
        Exec.Result r = Exec.run(List.of(ip, "-j", "-4", "addr", "show", "dev", bridge), TOOL_TIMEOUT);
        if (!r.ok()) {
            return Optional.empty();
        }
        try {
            for (JsonNode link : json.readTree(r.stdout())) {
                for (JsonNode addr : link.path("addr_info")) {
                    if ("inet".equals(addr.path("family").asText())) {
                        return Optional.of(new Ipv4Subnet(Ipv4Subnet.address(addr.path("local").asText()), addr.path(
                                "prefixlen").asInt()));
                    }
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("ip -j addr printed something unreadable: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** Every IPv4 network on an interface or in the main routing table (loopback and the default route aside). */
    List<Ipv4Subnet> subnetsInUse() {
        Exec.Result addrs = Exec.run(List.of(ip, "-j", "-4", "addr"), TOOL_TIMEOUT);
        Exec.Result routes = Exec.run(List.of(ip, "-j", "-4", "route"), TOOL_TIMEOUT);
        if (!addrs.ok() || !routes.ok()) {
            throw new RuntimeFailure("cannot read the host's addresses and routes: " + addrs.message() + " "
                    + routes.message());
        }
        try {
            return SubnetsInUse.parse(json.readTree(addrs.stdout()), json.readTree(routes.stdout()));
        } catch (IOException e) {
            throw new RuntimeFailure("ip -j printed something unreadable: " + e.getMessage(), e);
        }
    }

    // --- forwarding ---

    private void startForwarding(Attachment a) {
        if (a.ports().isEmpty()) {
            return;
        }
        List<PortForwarder> started = new ArrayList<>();
        List<PortBinding> bound = new ArrayList<>();
        for (PortBinding p : a.ports()) {
            InetSocketAddress target = new InetSocketAddress(a.address(), p.containerPort());
            PortForwarder f;
            try {
                f = new PortForwarder(publishAddress, p.hostPort(), target);
            } catch (IOException e) {
                if (p.hostPort() == 0) {
                    started.forEach(PortForwarder::close);
                    throw new RuntimeFailure("cannot listen for the published port " + p.containerPort() + ": "
                            + e.getMessage(), e);
                }
                LOG.log(Level.WARNING,
                        "event=network.port.moved instance={0} containerPort={1} hostPort={2} reason=\"{3}\"",
                        a.instance(), p.containerPort(), p.hostPort(), e.getMessage());
                try {
                    f = new PortForwarder(publishAddress, 0, target);
                } catch (IOException again) {
                    started.forEach(PortForwarder::close);
                    throw new RuntimeFailure("cannot listen for the published port " + p.containerPort() + ": "
                            + again.getMessage(), again);
                }
            }
            started.add(f);
            bound.add(new PortBinding(p.containerPort(), f.port()));
        }
        forwarders.put(a.instance(), started);
        if (!bound.equals(a.ports())) {
            Attachment updated = new Attachment(a.instance(), a.tenant(), a.bridge(), a.address(), a.prefix(), a
                    .gateway(), a.device(), a.netns(), a.mac(), List.copyOf(bound));
            attachments.put(a.instance(), updated);
            write(updated);
        }
        LOG.log(Level.INFO, "event=network.forwarding instance={0} ports={1}", a.instance(), bound);
    }

    private void stopForwarding(UUID id) {
        List<PortForwarder> running = forwarders.remove(id);
        if (running != null) {
            running.forEach(PortForwarder::close);
        }
    }

    // --- host ---

    private void removeDevices(String netns, String device) {
        if (netns != null && Files.exists(NETNS_DIR.resolve(netns))) {
            Exec.Result r = Exec.run(List.of(ip, "netns", "del", netns), TOOL_TIMEOUT);
            if (!r.ok()) {
                LOG.log(Level.WARNING, "event=network.netns.delete.failed netns={0} reason=\"{1}\"", netns, r
                        .message());
            }
        }
        if (device != null && linkExists(device)) {
            Exec.Result r = Exec.run(List.of(ip, "link", "del", device), TOOL_TIMEOUT);
            if (!r.ok() && linkExists(device)) {
                LOG.log(Level.WARNING, "event=network.link.delete.failed device={0} reason=\"{1}\"", device, r
                        .message());
            }
        }
    }

    static boolean linkExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /** Runs {@code ip ... -batch -} with the commands on its stdin. */
    private static void run(List<String> command, String batch) {
        Path file;
        try {
            file = Files.createTempFile("nanofleet-ip-", ".batch");
            Files.writeString(file, batch, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write an ip batch file: " + e.getMessage(), e);
        }
        try {
            List<String> withFile = new ArrayList<>(command.subList(0, command.size() - 1));
            withFile.add(file.toString());
            Exec.Result r = Exec.run(withFile, TOOL_TIMEOUT);
            if (!r.ok()) {
                throw new RuntimeFailure("network setup failed (" + String.join(" ", command.subList(0, command
                        .size() - 2)) + "): " + r.message());
            }
        } finally {
            InstanceFiles.deleteQuietly(file);
        }
    }

    private static void writeSysctl(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "event=network.sysctl.failed file={0} reason=\"{1}\"", file, e.getMessage());
        }
    }

    /** Installs the walls unless they are there already: the chains, their rules, the jumps from the built-ins. */
    static void installRules(String iptables) {
        ensureChain(iptables, WallRules.FORWARD_CHAIN, WallRules.forward());
        ensureChain(iptables, WallRules.INPUT_CHAIN, WallRules.input());
        ensureJump(iptables, "FORWARD", WallRules.FORWARD_CHAIN);
        ensureJump(iptables, "INPUT", WallRules.INPUT_CHAIN);
    }

    private static void ensureChain(String iptables, String chain, List<String> rules) {
        Exec.Result current = Exec.run(List.of(iptables, "-w", "5", "-S", chain), TOOL_TIMEOUT);
        List<String> want = new ArrayList<>(List.of("-N " + chain));
        want.addAll(rules);
        if (current.ok() && current.stdout().strip().lines().map(String::strip).toList().equals(want)) {
            return;
        }
        if (!current.ok()) {
            iptables(iptables, List.of("-N", chain));
        } else {
            iptables(iptables, List.of("-F", chain));
        }
        for (String rule : rules) {
            iptables(iptables, WallRules.args(rule));
        }
        LOG.log(Level.INFO, "event=network.rules.installed chain={0} rules={1}", chain, rules.size());
    }

    private static void ensureJump(String iptables, String builtin, String chain) {
        if (Exec.run(List.of(iptables, "-w", "5", "-C", builtin, "-j", chain), TOOL_TIMEOUT).ok()) {
            return;
        }
        iptables(iptables, List.of("-I", builtin, "1", "-j", chain));
    }

    private static void iptables(String iptables, List<String> args) {
        List<String> command = new ArrayList<>(List.of(iptables, "-w", "5"));
        command.addAll(args);
        Exec.Result r = Exec.run(command, TOOL_TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.message());
        }
    }

    /** Runs {@code work} holding the host-wide network lock (a JVM lock, then a file lock for other agents). */
    private static <T> T hostLocked(Supplier<T> work) {
        HOST_LOCK.lock();
        try (FileChannel channel = FileChannel.open(HOST_LOCK_FILE, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            return work.get();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot take the host's network lock " + HOST_LOCK_FILE + ": " + e.getMessage(),
                    e);
        } finally {
            HOST_LOCK.unlock();
        }
    }

    static Optional<String> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(0, List.of(path.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
                .findFirst().map(Path::toString);
    }

    // --- records ---

    private void write(Attachment a) {
        ObjectNode node = json.createObjectNode().put("tenant", a.tenant()).put("bridge", a.bridge()).put("address",
                a.address()).put("prefix", a.prefix()).put("gateway", a.gateway()).put("device", a.device());
        if (a.netns() != null) {
            node.put("netns", a.netns());
        }
        if (a.mac() != null) {
            node.put("mac", a.mac());
        }
        ArrayNode ports = node.putArray("ports");
        a.ports().forEach(p -> ports.addObject().put("containerPort", p.containerPort()).put("hostPort", p
                .hostPort()));
        Path file = records.resolve(a.instance() + ".json");
        Path tmp = records.resolve(a.instance() + ".json.tmp");
        try {
            Files.writeString(tmp, node.toString());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot record the network of " + a.instance() + ": " + e.getMessage(), e);
        }
    }

    private void load() {
        try (Stream<Path> files = Files.list(records)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = file.getFileName().toString();
                try {
                    UUID id = UUID.fromString(name.substring(0, name.length() - ".json".length()));
                    JsonNode n = json.readTree(file.toFile());
                    List<PortBinding> ports = new ArrayList<>();
                    n.path("ports").forEach(p -> ports.add(new PortBinding(p.path("containerPort").asInt(), p.path(
                            "hostPort").asInt())));
                    attachments.put(id, new Attachment(id, n.path("tenant").asText(), n.path("bridge").asText(), n
                            .path("address").asText(), n.path("prefix").asInt(), n.path("gateway").asText(),
                            n.path(
                                    "device").asText(),
                            n.hasNonNull("netns") ? n.get("netns").asText() : null, n
                                    .hasNonNull("mac") ? n.get("mac").asText() : null,
                            List.copyOf(ports)));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.log(Level.WARNING, "event=network.record.unreadable file={0} reason=\"{1}\"", file, e
                            .getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + records, e);
        }
        if (!attachments.isEmpty()) {
            LOG.log(Level.INFO, "event=network.adopted instances={0}", attachments.size());
        }
    }
}
