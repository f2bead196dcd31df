package dev.nanofleet.node.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.InstanceFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The node network's devices in the host's network stack, through {@code ip}: tenant bridges (with their subnet),
 * a container's network namespace and veth pair, a VM's tap, and reading which IPv4 networks the host uses. Every
 * device gets this agent's alias ({@link NetNames#alias}) so {@code ./fleet down} finds it.
 *
 * <p>
 * Choosing a free subnet and adding it to a bridge happen under a host-wide lock ({@link #hostLocked}), because
 * several agents may share a host. Thread-safe otherwise only as far as {@code ip} is: the caller serialises.
 */
final class HostPlumbing {

    private static final Logger LOG = System.getLogger(HostPlumbing.class.getName());
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
    private static final ReentrantLock HOST_LOCK = new ReentrantLock();
    private static final Path HOST_LOCK_FILE = Path.of("/run/nanofleet-network.lock");
    private static final Path PROC_NET_DEV = Path.of("/proc/self/net/dev");

    private final NetworkHost host;
    private final String ip;
    private final String alias;
    private final ObjectMapper json = new ObjectMapper();

    HostPlumbing(NetworkHost host, String ip, Path stateDir) {
        this.host = host;
        this.ip = ip;
        this.alias = NetNames.alias(stateDir);
    }

    /** Every IPv4 network on an interface or in the main routing table (loopback and the default route aside). */
    List<HostSubnet> subnetsInUse() {
        Exec.Result addrs = exec(List.of(ip, "-j", "-4", "addr"));
        Exec.Result routes = exec(List.of(ip, "-j", "-4", "route"));
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

    /**
     * The bridge's subnet; creates the bridge first if it is missing, with {@code assigned} (the tenant's private
     * subnet control-api allocated) or else the first /24 of the pool that overlaps nothing on the host, under the
     * host lock.
     *
     * @param assigned null when the tenant has no private network on this node
     */
    Ipv4Subnet ensureBridge(String bridge, String tenant, Ipv4Subnet pool, Ipv4Subnet assigned) {
        return hostLocked(() -> {
            Optional<Ipv4Subnet> existing = bridgeSubnet(bridge);
            if (existing.isPresent()) {
                return existing.get();
            }
            if (!linkExists(bridge)) {
                batch(List.of(ip), "link add name " + bridge + " type bridge\n" //
                        + "link set dev " + bridge + " alias " + alias + "\n");
            }
            // no IPv6 on the bridge: a link-local address would let instances reach host services over IPv6
            disableIpv6(bridge);
            Ipv4Subnet chosen = assigned != null
                    ? assigned
                    : AddressPlan.tenantSubnet(pool, SubnetsInUse.subnets(subnetsInUse())).orElseThrow(
                            () -> new RuntimeFailure("no free /" + AddressPlan.TENANT_SUBNET_LENGTH
                                    + " left in the pool " + pool));
            batch(List.of(ip), "addr add " + chosen.host(1) + "/" + chosen.prefix() + " dev " + bridge + "\n"
                    + "link set dev " + bridge + " up\n");
            LOG.log(Level.INFO, "event=network.bridge.created bridge={0} tenant={1} subnet={2}", bridge, tenant,
                    chosen);
            return chosen;
        });
    }

    void deleteBridge(String bridge, String tenant) {
        if (linkExists(bridge)) {
            Exec.Result r = exec(List.of(ip, "link", "del", bridge));
            LOG.log(r.ok() ? Level.INFO : Level.WARNING,
                    "event=network.bridge.deleted bridge={0} tenant={1} ok={2} reason=\"{3}\"", bridge, tenant, r
                            .ok(),
                    r.message());
        }
    }

    /** A namespace for a container with {@code eth0} (address, default route via the gateway) and {@code lo} up. */
    void addContainerLink(String netns, String veth, String bridge, String address, int prefix, String gateway) {
        batch(List.of(ip), "netns add " + netns + "\n" //
                + "link add " + veth + " type veth peer name eth0 netns " + netns + "\n" //
                + "link set dev " + veth + " alias " + alias + "\n" //
                + "link set dev " + veth + " master " + bridge + "\n" //
                + "link set dev " + veth + " up\n");
        batch(List.of(ip, "-n", netns), "addr add " + address + "/" + prefix + " dev eth0\n" //
                + "link set dev eth0 up\n" //
                + "link set dev lo up\n" //
                + "route add default via " + gateway + "\n");
    }

    /** A persistent tap on the bridge, for a VM's NIC. */
    void addTap(String tap, String bridge) {
        batch(List.of(ip), "tuntap add dev " + tap + " mode tap\n" //
                + "link set dev " + tap + " alias " + alias + "\n" //
                + "link set dev " + tap + " master " + bridge + "\n" //
                + "link set dev " + tap + " up\n");
    }

    /** Deletes the namespace (null: none) and the device (null: none) if they exist; logs what it cannot. */
    void removeDevices(String netns, String device) {
        if (netns != null && Files.exists(NodeNetwork.NETNS_DIR.resolve(netns))) {
            Exec.Result r = exec(List.of(ip, "netns", "del", netns));
            if (!r.ok()) {
                LOG.log(Level.WARNING, "event=network.netns.delete.failed netns={0} reason=\"{1}\"", netns, r
                        .message());
            }
        }
        if (device != null && linkExists(device)) {
            Exec.Result r = exec(List.of(ip, "link", "del", device));
            if (!r.ok() && linkExists(device)) {
                LOG.log(Level.WARNING, "event=network.link.delete.failed device={0} reason=\"{1}\"", device, r
                        .message());
            }
        }
    }

    boolean linkExists(String name) {
        if (host.isLocal()) {
            // no fork: asked on every attach and detach. /proc/self/net is this process' network namespace, where
            // /sys/class/net is the namespace of whoever mounted /sys: not ours when the agent was entered into a
            // namespace of its own with nsenter --net (several nodes on one host, ./fleet up --nodes 3)
            try {
                return listsInterface(Files.readString(PROC_NET_DEV), name);
            } catch (IOException e) {
                return exec(List.of(ip, "link", "show", "dev", name)).ok();
            }
        }
        return exec(List.of(ip, "link", "show", "dev", name)).ok();
    }

    /** Whether {@code /proc/net/dev} text names the interface (a line {@code "  name: counters..."}). */
    static boolean listsInterface(String procNetDev, String name) {
        return procNetDev.lines().anyMatch(line -> {
            int colon = line.indexOf(':');
            return colon > 0 && line.substring(0, colon).strip().equals(name);
        });
    }

    private Optional<Ipv4Subnet> bridgeSubnet(String bridge) {
        if (!linkExists(bridge)) {
            return Optional.empty();
        }
        Exec.Result r = exec(List.of(ip, "-j", "-4", "addr", "show", "dev", bridge));
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

    /** The interfaces of the host's default routes (its uplinks), e.g. {@code [eth0]}; none on a host without one. */
    List<String> uplinks() {
        Exec.Result r = exec(List.of(ip, "-j", "-4", "route", "show", "default"));
        if (!r.ok()) {
            throw new RuntimeFailure("cannot read the host's default routes: " + r.message());
        }
        List<String> devices = new ArrayList<>();
        try {
            for (JsonNode route : json.readTree(r.stdout())) {
                String dev = route.path("dev").asText("");
                if (!dev.isEmpty() && !devices.contains(dev)) {
                    devices.add(dev);
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("ip -j route printed something unreadable: " + e.getMessage(), e);
        }
        return devices;
    }

    /**
     * Lets the kernel route packets that come in on {@code device} ({@code net.ipv4.conf.<device>.forwarding=1}): on a
     * tenant bridge for its instances' egress, on an uplink for the answers. Per interface, never {@code ip_forward}
     * for all: the node routes for nobody else. Returns whether it is on.
     */
    boolean enableForwarding(String device) {
        return writeSysctl(Path.of("/proc/sys/net/ipv4/conf", device, "forwarding"), "1");
    }

    private void disableIpv6(String bridge) {
        writeSysctl(Path.of("/proc/sys/net/ipv6/conf", bridge, "disable_ipv6"), "1");
    }

    private boolean writeSysctl(Path file, String value) {
        if (host.isLocal()) {
            try {
                Files.writeString(file, value);
                return true;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "event=network.sysctl.failed file={0} reason=\"{1}\"", file, e.getMessage());
                return false;
            }
        }
        // /proc/sys/net shows the network namespace of the process that reads it: write it from inside
        Exec.Result r = exec(List.of("sh", "-c", "echo " + value + " > \"$0\"", file.toString()));
        if (!r.ok()) {
            LOG.log(Level.WARNING, "event=network.sysctl.failed file={0} reason=\"{1}\"", file, r.message());
        }
        return r.ok();
    }

    private Exec.Result exec(List<String> command) {
        return Exec.run(host.command(command), TOOL_TIMEOUT);
    }

    /** Runs {@code ip [options] -batch FILE} with the commands in a temporary file. */
    private void batch(List<String> ipWithOptions, String commands) {
        Path file;
        try {
            file = Files.createTempFile("nanofleet-ip-", ".batch");
            Files.writeString(file, commands, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write an ip batch file: " + e.getMessage(), e);
        }
        try {
            List<String> command = new ArrayList<>(ipWithOptions);
            command.addAll(List.of("-batch", file.toString()));
            Exec.Result r = exec(command);
            if (!r.ok()) {
                throw new RuntimeFailure("network setup failed (" + String.join(" ", ipWithOptions) + "): " + r
                        .message());
            }
        } finally {
            InstanceFiles.deleteQuietly(file);
        }
    }

    /** Runs {@code work} holding the host-wide network lock (a JVM lock, then a file lock for other agents). */
    static <T> T hostLocked(Supplier<T> work) {
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

    /** A host tool by name, on PATH or in the usual system directories. */
    static Optional<String> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(0, List.of(path.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
                .findFirst().map(Path::toString);
    }
}
