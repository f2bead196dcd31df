package dev.nanofleet.node.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where instances' addresses come from, decided from what the host has without touching it: the node's pool (once,
 * at start-up), a tenant's /24 inside it (with the tenant's first instance), an instance's address inside that.
 *
 * <p>
 * The pool {@code auto} is the first of {@link #AUTO_CANDIDATES} that overlaps no address or route of the host. The
 * candidates are private /16s that the usual neighbours of a node do not take by default: podman (10.88.0.0/16),
 * Docker (172.17.0.0/16 and up), libvirt (192.168.122.0/24), Kubernetes' pod and service networks (10.244.0.0/16,
 * 10.96.0.0/12). The agents' own tenant bridges (whose /24s come from a pool by design) do not count.
 *
 * <p>
 * Pure and thread-safe.
 */
public final class AddressPlan {

    /** The configured pool that asks the agent to choose. */
    public static final String AUTO = "auto";

    /** Tried in this order by {@link #AUTO}. */
    public static final List<Ipv4Subnet> AUTO_CANDIDATES = Stream.of("10.213.0.0/16", "10.214.0.0/16",
            "10.215.0.0/16", "10.216.0.0/16").map(Ipv4Subnet::parse).toList();

    /** Each tenant gets one such subnet per node; its {@code .1} is the bridge. */
    public static final int TENANT_SUBNET_LENGTH = 24;

    private static final String KEY = "nanofleet.node.network.pool";

    /**
     * The chosen pool and, for a person reading the log, why.
     *
     * @param subnet the pool
     * @param reason how it was chosen, e.g. {@code auto: 10.213.0.0/16 overlaps 10.213.7.0/24 (wg0)}
     */
    public record Pool(Ipv4Subnet subnet, String reason) {
    }

    private AddressPlan() {
    }

    /**
     * Chooses the node's pool.
     *
     * @param configured {@link #AUTO} or an IPv4 network holding at least one /24
     * @param host every network the host has on an interface or in its routing table
     * @throws PoolUnavailableException naming what each candidate (or the configured pool) overlaps
     * @throws IllegalArgumentException if {@code configured} is neither {@code auto} nor a network holding a /24
     */
    public static Pool choosePool(String configured, Collection<HostSubnet> host) {
        List<HostSubnet> foreign = host.stream().filter(h -> !h.isTenantBridge()).toList();
        if (AUTO.equals(configured)) {
            List<String> taken = new ArrayList<>();
            for (Ipv4Subnet candidate : AUTO_CANDIDATES) {
                Optional<HostSubnet> clash = firstOverlap(candidate, foreign);
                if (clash.isEmpty()) {
                    return new Pool(candidate, taken.isEmpty()
                            ? "auto: the first candidate, free on this host"
                            : "auto: " + String.join("; ", taken));
                }
                taken.add(candidate + " overlaps " + clash.get());
            }
            throw new PoolUnavailableException("no instance address pool is free on this host (" + String.join("; ",
                    taken) + "): set " + KEY + " to an IPv4 network holding at least one /" + TENANT_SUBNET_LENGTH
                    + " that no interface or route of this host uses");
        }
        Ipv4Subnet pool = parse(configured);
        Optional<HostSubnet> clash = firstOverlap(pool, foreign);
        if (clash.isPresent()) {
            throw new PoolUnavailableException(KEY + " " + pool + " overlaps " + clash.get()
                    + " on this host: instances there would be unreachable or cut the host off; set it to a free"
                    + " IPv4 network or to " + AUTO);
        }
        return new Pool(pool, "configured");
    }

    /**
     * A configured pool: {@link #AUTO}, or a network in CIDR form holding at least one /24.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Ipv4Subnet parse(String configured) {
        Ipv4Subnet pool;
        try {
            pool = Ipv4Subnet.parse(configured);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must be " + AUTO + " or an IPv4 network like 10.213.0.0/16, not '"
                    + configured + "'");
        }
        if (pool.prefix() > TENANT_SUBNET_LENGTH) {
            throw new IllegalArgumentException("must hold at least one /" + TENANT_SUBNET_LENGTH + ", not " + pool);
        }
        return pool;
    }

    /** Whether {@code configured} is a pool {@link #choosePool} understands. */
    public static boolean isValid(String configured) {
        if (AUTO.equals(configured)) {
            return true;
        }
        try {
            parse(configured);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A tenant's new subnet: the first /24 of the pool that overlaps nothing the host uses (other bridges included). */
    public static Optional<Ipv4Subnet> tenantSubnet(Ipv4Subnet pool, Collection<Ipv4Subnet> inUse) {
        return Ipv4Subnet.firstFree(pool, TENANT_SUBNET_LENGTH, inUse);
    }

    /**
     * An instance's address in its tenant's subnet, as an index: the lowest free one from 2 ({@code .1} is the
     * bridge) to the last before the broadcast address.
     *
     * @param taken the indexes other instances hold
     */
    public static OptionalInt hostIndex(Ipv4Subnet subnet, Set<Integer> taken) {
        for (int i = 2; i < subnet.size() - 1; i++) {
            if (!taken.contains(i)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static Optional<HostSubnet> firstOverlap(Ipv4Subnet candidate, List<HostSubnet> host) {
        return host.stream().filter(h -> h.subnet().overlaps(candidate)).findFirst();
    }
}
