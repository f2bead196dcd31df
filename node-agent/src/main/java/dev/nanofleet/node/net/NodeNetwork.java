package dev.nanofleet.node.net;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import dev.nanofleet.nodeapi.PrivateNetwork;
import dev.nanofleet.nodeapi.PublishedPort;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's instance networking: one bridge per tenant ({@link NetNames#bridge}) holding {@code .1} of a /24 taken
 * from the node's pool, instances attached to their tenant's bridge (a container by a veth pair into its own network
 * namespace, a VM by a tap device), the iptables walls of {@link WallRules}, each instance's egress (NAT out of the
 * node, filtered by its policy: {@link EgressPlan}, {@link EgressRules}), and forwarders for published ports.
 *
 * <p>
 * This class coordinates; the jobs are done by {@link AddressPlan} (which pool, which subnet, which address: pure),
 * {@link HostPlumbing} (bridges, veths, namespaces, taps through {@code ip}), {@link WallRules} (iptables),
 * {@link PublishedPorts} (forwarders) and {@link AttachmentRecords} (what each instance got, on disk, so a restarted
 * agent keeps addresses and node ports and restarts the forwarders: {@link #view}; it also rebuilds each recorded
 * instance's egress rules and sweeps those of instances it no longer records). A bridge's subnet is read back from the
 * bridge itself.
 *
 * <p>
 * A tenant with a private network ({@link #applyPrivateNetworks}, from control-api's assignment list) gets its bridge
 * on the /24 control-api allocated instead of one of the pool, a VXLAN device to its other nodes
 * ({@link PrivatePlan}, {@link PrivateOverlay}) and its names in its bridge's DNS; a tenant without one keeps what
 * the node chose, reachable from nothing beyond the node. Every bridge has a DNS responder on its gateway
 * ({@link InternalDns}): {@code .internal} names from the tenant's directory, other names forwarded to
 * {@link #dnsUpstreams upstream resolvers} unless the asking instance's egress is deny-all.
 *
 * <p>
 * Thread-safe: attach, detach and the private networks' changes are serialised per agent.
 */
public final class NodeNetwork implements AutoCloseable {

    /** A container's or a VM's place on its tenant's network. */
    public record Attachment(UUID instance, String tenant, String bridge, String address, int prefix, String gateway,
            String device, String netns, String mac, List<PortBinding> ports, EgressPolicy egress) {

        /** The network namespace's path for config.json; null for a VM. */
        public String netnsPath() {
            return netns == null ? null : NETNS_DIR.resolve(netns).toString();
        }

        public InstanceNetwork view() {
            return new InstanceNetwork(address, ports);
        }

        Attachment withPorts(List<PortBinding> bound) {
            return new Attachment(instance, tenant, bridge, address, prefix, gateway, device, netns, mac, List.copyOf(
                    bound), egress);
        }
    }

    /** The pool when none is configured: the agent picks a free one at start-up ({@link AddressPlan#AUTO}). */
    public static final String DEFAULT_POOL = AddressPlan.AUTO;
    static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Logger LOG = System.getLogger(NodeNetwork.class.getName());

    private final String nodeName;
    private final Path stateDir;
    private final AddressPlan.Pool pool;
    private final String backend;
    private final NetworkHost host;
    private final HostPlumbing plumbing;
    private final EgressRules egress;
    private final PublishedPorts published;
    private final AttachmentRecords records;
    private final Map<UUID, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<String, Ipv4Subnet> bridges = new ConcurrentHashMap<>();
    /** null when the host lacks the tools (then no tenant gets a private network). */
    private final PrivateOverlay overlay;
    private final InternalDns dns = new InternalDns(this::instancesOn);
    /** The private subnet control-api allocated each tenant on this node, for bridges made from now on. */
    private final Map<String, Ipv4Subnet> privateSubnets = new ConcurrentHashMap<>();
    /** The private networks set up on this node, by tenant (without their directories). */
    private final Map<String, PrivatePlan.Tenant> applied = new LinkedHashMap<>();
    /** Bridges without DNS because the plumbing is in another namespace, so they were told once in the log. */
    private final Set<String> dnsSkipped = ConcurrentHashMap.newKeySet();
    /** Tenants whose bridge kept a node-local subnet, so they were told once in the log. */
    private final Set<String> keptLocal = new HashSet<>();

    private NodeNetwork(String nodeName, Path stateDir, AddressPlan.Pool pool, String backend, NetworkHost host,
            HostPlumbing plumbing, EgressRules egress, PublishedPorts published, PrivateOverlay overlay) {
        this.overlay = overlay;
        this.host = host;
        this.nodeName = nodeName;
        this.stateDir = stateDir;
        this.pool = pool;
        this.backend = backend;
        this.plumbing = plumbing;
        this.egress = egress;
        this.published = published;
        this.records = new AttachmentRecords(stateDir);
        attachments.putAll(records.readAll());
        if (!attachments.isEmpty()) {
            LOG.log(Level.INFO, "event=network.adopted instances={0}", attachments.size());
        }
        rebuildEgress();
        // the bridges of adopted instances get their DNS again (a private tenant's names come with the next list)
        for (Attachment a : attachments.values()) {
            if (!dns.serving(a.bridge()) && plumbing.linkExists(a.bridge())) {
                serveDns(a.bridge(), a.tenant(), Ipv4Subnet.parse(a.gateway() + "/" + a.prefix()), Map.of());
            }
        }
    }

    /** {@link #setUp(String, Path, String, String, NetworkHost)} on the host's own network stack. */
    public static NodeNetwork setUp(String nodeName, Path stateDir, String pool, String publishAddress) {
        return setUp(nodeName, stateDir, pool, publishAddress, NetworkHost.local());
    }

    /**
     * Checks the host's tools, chooses the pool ({@link AddressPlan#choosePool}: {@code auto} or the configured one,
     * either overlapping nothing the host has), installs the walls and reads back what an earlier agent on this state
     * directory attached.
     *
     * @param pool {@link AddressPlan#AUTO} or the IPv4 network tenant subnets (/24 each) are taken from
     * @param publishAddress the address published ports listen on, e.g. {@code 0.0.0.0}
     * @param host where the plumbing runs: the host's network stack, or a namespace (tests)
     * @throws PoolUnavailableException when no pool is free on this host: the agent must not start
     * @throws IllegalStateException with a reason for a person when the host cannot do it (no ip or iptables, not
     *         root, iptables failing)
     */
    public static NodeNetwork setUp(String nodeName, Path stateDir, String pool, String publishAddress,
            NetworkHost host) {
        InetAddress bind;
        try {
            if (!AddressPlan.AUTO.equals(pool)) {
                AddressPlan.parse(pool); // a bad pool is the configuration's fault, not the host's: say so first
            }
            bind = InetAddress.getByName(publishAddress);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("bad network configuration: " + e.getMessage(), e);
        }
        String ip = HostPlumbing.tool("ip").orElseThrow(() -> new IllegalStateException("ip (iproute2) not found"));
        String iptables = HostPlumbing.tool("iptables").orElseThrow(
                () -> new IllegalStateException("iptables not found (Debian package iptables)"));
        String iptablesRestore = HostPlumbing.tool("iptables-restore").orElseThrow(
                () -> new IllegalStateException("iptables-restore not found (Debian package iptables)"));
        Path dir = stateDir.toAbsolutePath().normalize();
        HostPlumbing plumbing = new HostPlumbing(host, ip, dir);
        List<HostSubnet> inUse = plumbing.subnetsInUse();
        AddressPlan.Pool chosen = AddressPlan.choosePool(pool, inUse);
        LOG.log(Level.INFO, "event=network.pool pool={0} reason=\"{1}\"", chosen.subnet(), chosen.reason());
        WallRules walls = new WallRules(host, iptables);
        String backend = walls.version();
        EgressRules egress = new EgressRules(host, iptables, iptablesRestore, dir, EgressPlan.walls(chosen.subnet(),
                inUse));
        egress.install(chosen.subnet()); // its chain first: the FORWARD wall jumps to it
        walls.install();
        PrivateOverlay overlay = privateOverlay(host, ip, iptables, iptablesRestore, dir);
        LOG.log(Level.INFO, "event=network.ready pool={0} publishAddress={1} iptables=\"{2}\" privateNetworks={3}",
                chosen.subnet(), bind.getHostAddress(), backend, overlay != null);
        return new NodeNetwork(nodeName, dir, chosen, backend, host, plumbing, egress, new PublishedPorts(bind),
                overlay);
    }

    /** The private networks' plumbing, or null (logged) when the host cannot do it: tenants then keep local subnets. */
    private static PrivateOverlay privateOverlay(NetworkHost host, String ip, String iptables, String iptablesRestore,
            Path dir) {
        Optional<String> bridgeTool = HostPlumbing.tool("bridge");
        if (bridgeTool.isEmpty()) {
            LOG.log(Level.WARNING, "event=network.private.unavailable reason=\"bridge (iproute2) not found\"");
            return null;
        }
        try {
            PrivateOverlay overlay = new PrivateOverlay(host, ip, bridgeTool.get(), iptables, iptablesRestore, dir);
            overlay.install();
            overlay.rules(List.of()); // a restarted agent starts empty; the first assignment list fills them again
            return overlay;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=network.private.unavailable reason=\"{0}\"", e.getMessage());
            return null;
        }
    }

    /** What {@code iptables --version} said, e.g. {@code iptables v1.8.9 (nf_tables)}. */
    public String backend() {
        return backend;
    }

    public Ipv4Subnet pool() {
        return pool.subnet();
    }

    /** How the pool was chosen, for a person. */
    public String poolReason() {
        return pool.reason();
    }

    /**
     * The command, run in the network stack the devices are in: a VM's QEMU must open its tap where the tap is (the
     * host's own stack, or the namespace a test made the node in).
     */
    public List<String> entering(List<String> command) {
        return host.command(command);
    }

    /**
     * Sets the resolvers the bridges' DNS forwards public names to; those in the node's pool are dropped (logged):
     * the DNS never asks an address of the platform's own.
     */
    public void dnsUpstreams(List<InetSocketAddress> upstreams) {
        List<InetSocketAddress> usable = DnsUpstreams.outside(upstreams, List.of(pool.subnet()));
        upstreams.stream().filter(u -> !usable.contains(u)).forEach(u -> LOG.log(Level.WARNING,
                "event=network.dns.upstream.refused upstream={0} reason=\"in the instance pool {1}\"", DnsUpstreams
                        .text(u),
                pool.subnet()));
        dns.upstreams(usable);
        LOG.log(Level.INFO, "event=network.dns.upstreams upstreams={0}", usable.stream().map(DnsUpstreams::text)
                .toList());
    }

    /** The bridge of a tenant on this node (whether it exists or not). */
    public String bridgeName(String tenant) {
        return NetNames.bridge(nodeName, stateDir, tenant);
    }

    /**
     * Gives a container its network namespace, with {@code eth0} (address, default route via the bridge) and
     * {@code lo} up, on its tenant's bridge, lets it out of the node as its egress policy says, and starts forwarding
     * its published ports. Replaces what an earlier start of the same instance left; keeps its address and node ports.
     *
     * @param policy null for {@link EgressPolicy#ALLOW_ALL}
     */
    public synchronized Attachment attachContainer(UUID id, String tenant, List<PublishedPort> ports,
            EgressPolicy policy) {
        String netns = NetNames.netns(stateDir, id);
        String veth = NetNames.veth(stateDir, id);
        published.stop(id); // a start again of the same instance: its node ports are bound anew below
        plumbing.removeDevices(netns, veth);
        Attachment a = allocate(id, tenant, veth, netns, null, ports, policy);
        try {
            plumbing.addContainerLink(netns, veth, a.bridge(), a.address(), a.prefix(), a.gateway());
            egress.apply(id, a.address(), a.bridge(), a.device(), a.egress());
        } catch (RuntimeFailure e) {
            detach(id);
            throw e;
        }
        return startForwarding(a);
    }

    /**
     * Gives a VM a tap device on its tenant's bridge, lets it out of the node as its egress policy says and starts
     * forwarding its published ports.
     *
     * @param policy null for {@link EgressPolicy#ALLOW_ALL}
     */
    public synchronized Attachment attachVm(UUID id, String tenant, List<PublishedPort> ports, EgressPolicy policy) {
        String tap = NetNames.tap(stateDir, id);
        published.stop(id);
        plumbing.removeDevices(null, tap);
        Attachment a = allocate(id, tenant, tap, null, NetNames.mac(stateDir, id), ports, policy);
        try {
            plumbing.addTap(tap, a.bridge());
            egress.apply(id, a.address(), a.bridge(), a.device(), a.egress());
        } catch (RuntimeFailure e) {
            detach(id);
            throw e;
        }
        return startForwarding(a);
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
        if (!a.ports().isEmpty() && !published.forwarding(id)) {
            synchronized (this) {
                a = attachments.get(id);
                if (a != null && !published.forwarding(id)) {
                    try {
                        a = startForwarding(a);
                    } catch (RuntimeFailure e) {
                        LOG.log(Level.WARNING, "event=network.forwarding.failed instance={0} reason=\"{1}\"", id,
                                e.getMessage());
                    }
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
     * Stops forwarding, deletes the instance's egress rules, namespace and devices and its record, and its tenant's
     * bridge if no other instance of this agent is on it and the tenant has no private network here. Idempotent.
     */
    public synchronized void detach(UUID id) {
        published.stop(id);
        Attachment a = attachments.remove(id);
        egress.remove(id);
        plumbing.removeDevices(NetNames.netns(stateDir, id), NetNames.veth(stateDir, id));
        plumbing.removeDevices(null, NetNames.tap(stateDir, id));
        records.delete(id);
        // a tenant with a private network keeps its bridge, device and DNS while control-api lists it (an instance
        // started again finds them); applyPrivateNetworks removes them once it does not
        if (a != null && !privateSubnets.containsKey(a.tenant()) && attachments.values().stream().noneMatch(
                o -> o.bridge().equals(a.bridge()))) {
            removePrivate(a.tenant());
            bridges.remove(a.bridge());
            dns.stop(a.bridge());
            plumbing.deleteBridge(a.bridge(), a.tenant());
        }
    }

    /**
     * Converges the tenants' private networks to what control-api says for the tenants this node hosts: each listed
     * tenant's bridge (made now if missing, on its allocated subnet), VXLAN device (made anew when its peers changed),
     * rules and DNS directory; a tenant no longer listed loses its device, rules and DNS, and its bridge when no
     * instance is on it. A tenant whose bridge already has another subnet (made before the tenant had a private
     * network) keeps it, without a private network, until its last instance leaves the node. Never throws: what
     * fails is logged and tried again with the next list.
     */
    public synchronized void applyPrivateNetworks(List<PrivateNetwork> networks) {
        if (overlay == null) {
            return;
        }
        Map<String, PrivateNetwork> wanted = new LinkedHashMap<>();
        for (PrivateNetwork n : networks) {
            String problem = PrivatePlanChecks.problem(n);
            if (problem != null) {
                LOG.log(Level.WARNING, "event=network.private.refused tenant={0} reason=\"{1}\"", n.tenant(),
                        problem);
                continue;
            }
            wanted.put(n.tenant(), n);
        }
        boolean changed = false;
        for (String tenant : List.copyOf(applied.keySet())) {
            if (!wanted.containsKey(tenant)) {
                changed |= removePrivate(tenant);
                String bridge = bridgeName(tenant);
                if (attachments.values().stream().noneMatch(o -> o.bridge().equals(bridge))) {
                    bridges.remove(bridge);
                    dns.stop(bridge);
                    plumbing.deleteBridge(bridge, tenant);
                }
            }
        }
        privateSubnets.keySet().retainAll(wanted.keySet());
        for (PrivateNetwork n : wanted.values()) {
            try {
                changed |= applyPrivate(n);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=network.private.failed tenant={0} reason=\"{1}\"", n.tenant(), e
                        .getMessage());
            }
        }
        if (changed) {
            writePrivateRules();
        }
    }

    /**
     * What an instance of the tenant (container or VM) puts in {@code /etc/resolv.conf}: its bridge's DNS as the only
     * nameserver, with the tenant's zone to search when it has a private network here; empty when the bridge has no
     * DNS (the image's own file stays).
     */
    public Optional<String> resolvConf(String tenant) {
        boolean privateNetwork;
        synchronized (this) {
            privateNetwork = applied.containsKey(tenant);
        }
        return dns.address(bridgeName(tenant)).map(gateway -> PrivatePlan.resolvConf(gateway, privateNetwork
                ? tenant
                : null));
    }

    /** The attached instances on a bridge, address to egress policy: who the bridge's DNS forwards for. */
    private Map<String, EgressPolicy> instancesOn(String bridge) {
        Map<String, EgressPolicy> on = new HashMap<>();
        for (Attachment a : attachments.values()) {
            if (a.bridge().equals(bridge)) {
                on.put(a.address(), a.egress());
            }
        }
        return on;
    }

    /** Sets up one tenant's private network; returns whether its devices or rules changed. */
    private boolean applyPrivate(PrivateNetwork n) {
        Ipv4Subnet subnet = Ipv4Subnet.parse(n.subnet());
        privateSubnets.put(n.tenant(), subnet);
        String bridge = bridgeName(n.tenant());
        Ipv4Subnet actual = bridgeSubnet(bridge, n.tenant());
        if (!actual.equals(subnet)) {
            if (keptLocal.add(n.tenant())) {
                LOG.log(Level.WARNING, "event=network.private.deferred tenant={0} bridge={1} subnet={2} assigned={3}"
                        + " reason=\"the bridge was made before the tenant had a private network\"", n.tenant(), bridge,
                        actual, subnet);
            }
            return false;
        }
        keptLocal.remove(n.tenant());
        PrivatePlan.Tenant t = new PrivatePlan.Tenant(n, bridge, NetNames.vxlan(nodeName, stateDir, n.tenant()));
        PrivatePlan.Tenant before = applied.get(n.tenant());
        boolean changed = before == null || !before.withoutNames().equals(t.withoutNames()) || !plumbing.linkExists(t
                .device());
        if (changed) {
            overlay.device(t);
            plumbing.enableForwarding(t.device());
            applied.put(n.tenant(), t);
        } else {
            applied.put(n.tenant(), t);
        }
        serveDns(bridge, n.tenant(), subnet, n.names());
        return changed;
    }

    /**
     * Starts (or updates) the bridge's DNS. Only when the plumbing is in the JVM's own network stack: with the bridges
     * in another namespace (tests) the gateway address here may be another agent's bridge, whose instances this
     * responder must never answer.
     */
    private void serveDns(String bridge, String tenant, Ipv4Subnet subnet, Map<String, List<String>> names) {
        if (!host.isLocal()) {
            if (dnsSkipped.add(bridge)) {
                LOG.log(Level.WARNING, "event=network.dns.unavailable bridge={0} tenant={1}"
                        + " reason=\"the bridges are in another network namespace than the agent\"", bridge, tenant);
            }
            return;
        }
        dns.serve(bridge, tenant, subnet, names);
    }

    /** Removes the tenant's VXLAN device and DNS names; returns whether it had a private network here. */
    private boolean removePrivate(String tenant) {
        PrivatePlan.Tenant t = applied.remove(tenant);
        if (t == null) {
            return false;
        }
        dns.clearNames(t.bridge());
        overlay.removeDevice(t.device());
        LOG.log(Level.INFO, "event=network.private.removed tenant={0} device={1}", tenant, t.device());
        writePrivateRules();
        return true;
    }

    private void writePrivateRules() {
        try {
            overlay.rules(applied.values());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=network.private.rules.failed reason=\"{0}\"", e.getMessage());
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
        published.close();
        dns.close();
    }

    /** Records the instance's place: its earlier address and node ports where they still fit, else fresh ones. */
    private Attachment allocate(UUID id, String tenant, String device, String netns, String mac,
            List<PublishedPort> ports, EgressPolicy policy) {
        String bridge = bridgeName(tenant);
        Ipv4Subnet subnet = bridgeSubnet(bridge, tenant);
        Attachment earlier = attachments.get(id);
        int host;
        if (earlier != null && earlier.bridge().equals(bridge) && subnet.contains(Ipv4Subnet.address(earlier
                .address()))) {
            host = Ipv4Subnet.address(earlier.address()) - subnet.base();
        } else {
            Set<Integer> taken = new HashSet<>();
            for (Attachment o : attachments.values()) {
                if (o.bridge().equals(bridge) && !o.instance().equals(id)) {
                    taken.add(Ipv4Subnet.address(o.address()) - subnet.base());
                }
            }
            host = AddressPlan.hostIndex(subnet, taken).orElseThrow(() -> new RuntimeFailure(
                    "no address left on the network " + subnet + " of tenant " + tenant));
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
                netns, mac, List.copyOf(bindings), policy == null ? EgressPolicy.ALLOW_ALL : policy);
        attachments.put(id, a);
        records.write(a);
        return a;
    }

    /** The tenant bridge's subnet, creating the bridge with a free /24 of the pool if it is missing. */
    private Ipv4Subnet bridgeSubnet(String bridge, String tenant) {
        Ipv4Subnet known = bridges.get(bridge);
        if (known != null && plumbing.linkExists(bridge)) {
            return known;
        }
        Ipv4Subnet subnet = plumbing.ensureBridge(bridge, tenant, pool.subnet(), privateSubnets.get(tenant));
        enableForwarding(bridge);
        bridges.put(bridge, subnet);
        PrivatePlan.Tenant t = applied.get(tenant);
        serveDns(bridge, tenant, subnet, t != null && t.bridge().equals(bridge) && t.subnet().equals(subnet)
                ? t
                        .network().names()
                : Map.of());
        return subnet;
    }

    /**
     * Lets the bridge's instances out (forwarding on the bridge) and their answers in (on the uplinks, which may have
     * changed since the last bridge: read each time). What may pass is the FORWARD wall's and the policies' business.
     */
    private void enableForwarding(String bridge) {
        List<String> devices = new ArrayList<>(List.of(bridge));
        try {
            devices.addAll(plumbing.uplinks());
        } catch (RuntimeFailure e) {
            LOG.log(Level.WARNING, "event=network.uplinks.unreadable reason=\"{0}\"", e.getMessage());
        }
        List<String> on = devices.stream().filter(plumbing::enableForwarding).toList();
        LOG.log(Level.INFO, "event=network.forwarding bridge={0} devices={1}", bridge, on);
    }

    /**
     * Writes the egress rules of every recorded instance again (a restarted agent, or iptables flushed since) and
     * removes those of instances this agent no longer records. An instance whose rules cannot be written has no way
     * out (the FORWARD wall drops what no instance chain takes): logged, and the instance keeps running.
     */
    private void rebuildEgress() {
        egress.sweep(attachments.keySet());
        for (Attachment a : attachments.values()) {
            try {
                egress.apply(a.instance(), a.address(), a.bridge(), a.device(), a.egress());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=network.egress.rebuild.failed instance={0} reason=\"{1}\"", a
                        .instance(), e.getMessage());
            }
        }
    }

    /** Starts the attachment's forwarders and records the node ports they got; returns the attachment as recorded. */
    private Attachment startForwarding(Attachment a) {
        if (a.ports().isEmpty()) {
            return a;
        }
        List<PortBinding> bound = published.start(a.instance(), a.address(), a.ports());
        if (bound.equals(a.ports())) {
            return a;
        }
        Attachment updated = a.withPorts(bound);
        attachments.put(a.instance(), updated);
        records.write(updated);
        return updated;
    }
}
