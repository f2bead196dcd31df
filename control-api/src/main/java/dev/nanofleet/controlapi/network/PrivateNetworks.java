package dev.nanofleet.controlapi.network;

import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.PrivateNetwork;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Tenants' private networks across nodes: the allocation (a VXLAN network identifier per tenant and a /24 per tenant and
 * node, both fleet unique, see {@link PrivateRange}) and what a node is told about the tenants it hosts
 * ({@link PrivateNetwork}): its own subnet, its peers (the other nodes with a subnet of the tenant, by the address
 * their agent registered) and the tenant's directory of healthy replicas. A node hears nothing of tenants it does not
 * host, and it never chooses a subnet: a subnet chosen by each node could be another node's too.
 *
 * <p>
 * Allocations happen inside the caller's transaction, under a transaction-scoped advisory lock (two nodes fetching
 * their lists at once cannot take the same subnet; the unique constraints back the lock). Only a missing allocation
 * takes the lock: an assignment fetch that allocates nothing reads only.
 */
@ApplicationScoped
@Startup
public class PrivateNetworks {

    private static final Logger LOG = Logger.getLogger(PrivateNetworks.class);
    /** The advisory lock of every private-network allocation (an arbitrary constant: "nfpn"). */
    private static final long ALLOCATION_LOCK = 0x6e66706eL;

    private final EntityManager em;
    private final Clock clock;
    private final boolean enabled;
    private final PrivateRange range;

    /** @throws IllegalArgumentException at start-up when the configured range is not a usable network */
    PrivateNetworks(EntityManager em, Clock clock, PrivateNetworkConfig config) {
        this.em = em;
        this.clock = clock;
        this.enabled = config.privateEnabled();
        try {
            this.range = PrivateRange.parse(config.privateRange());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nanofleet.network.private-range " + e.getMessage(), e);
        }
    }

    /**
     * The private networks of the tenants the node hosts, allocating what is missing. Empty when private networks are
     * off. Call inside a transaction.
     *
     * @throws IllegalStateException when the range has no /24 left, or no identifier is left: the node then gets none
     *         (the caller decides)
     */
    public List<PrivateNetwork> forNode(String node, Collection<String> tenants) {
        if (!enabled || tenants.isEmpty()) {
            return List.of();
        }
        List<PrivateNetwork> networks = new ArrayList<>();
        for (String tenant : new TreeSet<>(tenants)) {
            int vni = vni(tenant);
            String subnet = subnet(tenant, node);
            networks.add(new PrivateNetwork(tenant, vni, subnet, range.toString(), peers(tenant, node), names(
                    tenant)));
        }
        return networks;
    }

    private int vni(String tenant) {
        Optional<Integer> known = readVni(tenant);
        if (known.isPresent()) {
            return known.get();
        }
        lock();
        return readVni(tenant).orElseGet(() -> {
            @SuppressWarnings("unchecked")
            List<Integer> taken = em.createNativeQuery("SELECT vni FROM tenant_private_network").getResultList();
            int vni = PrivateRange.firstFreeVni(taken).orElseThrow(() -> new IllegalStateException(
                    "no VXLAN network identifier left"));
            em.createNativeQuery("INSERT INTO tenant_private_network (tenant, vni, allocated_at) VALUES (?1, ?2, ?3)")
                    .setParameter(1, tenant).setParameter(2, vni).setParameter(3, clock.instant()).executeUpdate();
            LOG.infof("event=private-network.allocated tenant=%s vni=%d", tenant, vni);
            return vni;
        });
    }

    private String subnet(String tenant, String node) {
        Optional<String> known = readSubnet(tenant, node);
        if (known.isPresent()) {
            return known.get();
        }
        lock();
        return readSubnet(tenant, node).orElseGet(() -> {
            @SuppressWarnings("unchecked")
            List<String> taken = em.createNativeQuery("SELECT subnet FROM private_subnet").getResultList();
            String subnet = range.firstFreeSubnet(taken).orElseThrow(() -> new IllegalStateException(
                    "nanofleet.network.private-range " + range + " has no /" + PrivateRange.SUBNET_LENGTH + " left"));
            em.createNativeQuery("INSERT INTO private_subnet (tenant, node_name, subnet, allocated_at)"
                    + " VALUES (?1, ?2, ?3, ?4)").setParameter(1, tenant).setParameter(2, node).setParameter(3, subnet)
                    .setParameter(4, clock.instant()).executeUpdate();
            LOG.infof("event=private-network.subnet.allocated tenant=%s node=%s subnet=%s", tenant, node, subnet);
            return subnet;
        });
    }

    /**
     * The tenant's other nodes that are part of the fleet and registered an agent URL naming an IPv4 address (the
     * address control-api checked at registration: a node cannot point its peers at a host it does not own).
     */
    private List<PrivateNetwork.Peer> peers(String tenant, String node) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT p.node_name, p.subnet, n.agent_url FROM private_subnet p"
                + " JOIN node n ON n.name = p.node_name WHERE p.tenant = ?1 AND p.node_name <> ?2"
                + " AND n.removed_at IS NULL ORDER BY p.node_name").setParameter(1, tenant).setParameter(2, node)
                .getResultList();
        List<PrivateNetwork.Peer> peers = new ArrayList<>();
        for (Object[] row : rows) {
            underlay((String) row[2]).ifPresent(address -> peers.add(new PrivateNetwork.Peer((String) row[0],
                    address, (String) row[1])));
        }
        return peers;
    }

    /** The IPv4 address of an agent URL; empty for none or a host name. */
    static Optional<String> underlay(String agentUrl) {
        if (agentUrl == null) {
            return Optional.empty();
        }
        try {
            String host = URI.create(agentUrl).getHost();
            if (host == null) {
                return Optional.empty();
            }
            PrivateRange.address(host);
            return Optional.of(host);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Deployment name to the private addresses of its replicas that run and are healthy (or have no health check),
     * anywhere in the fleet; only addresses inside the range (an instance on a node without a private network has a
     * node-local address nobody else can reach).
     */
    private Map<String, List<String>> names(String tenant) {
        List<Object[]> rows = em.createQuery("SELECT d.name, i FROM InstanceEntity i JOIN i.deployment d"
                + " WHERE d.tenant = :tenant AND d.deletedAt IS NULL AND i.state = :running", Object[].class)
                .setParameter("tenant", tenant).setParameter("running", InstanceState.RUNNING).getResultList();
        Map<String, List<String>> names = new TreeMap<>();
        for (Object[] row : rows) {
            InstanceEntity instance = (InstanceEntity) row[1];
            if (instance.health() == InstanceHealth.STARTING || instance.health() == InstanceHealth.UNHEALTHY
                    || instance.network() == null || instance.network().address() == null) {
                continue;
            }
            String address = instance.network().address();
            if (range.holds(subnetOf(address))) {
                names.computeIfAbsent((String) row[0], n -> new ArrayList<>()).add(address);
            }
        }
        names.values().forEach(list -> list.sort(null));
        return names;
    }

    /** The /24 an address is in, in CIDR form; the address itself when it is not one. */
    static String subnetOf(String address) {
        try {
            return PrivateRange.format(PrivateRange.address(address) & 0xffffff00) + "/" + PrivateRange.SUBNET_LENGTH;
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    private Optional<Integer> readVni(String tenant) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT vni FROM tenant_private_network WHERE tenant = ?1")
                .setParameter(1, tenant).getResultList();
        return rows.stream().findFirst().map(Number::intValue);
    }

    private Optional<String> readSubnet(String tenant, String node) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("SELECT subnet FROM private_subnet WHERE tenant = ?1"
                + " AND node_name = ?2").setParameter(1, tenant).setParameter(2, node).getResultList();
        return rows.stream().findFirst();
    }

    private void lock() {
        // the function returns void, which no JDBC type maps: select a constant beside it
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) l").setParameter(1, ALLOCATION_LOCK)
                .getSingleResult();
    }
}
