package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gives each tcp port of a live deployment an edge port from {@code nanofleet.control-api.edge.tcp-ports}: one
 * deployment's in the whole platform (the edge has one address), the same for the same container port across revisions,
 * freed when the port stops being tcp or the deployment is deleted. Tenants never choose it.
 *
 * <p>
 * Runs inside the caller's transaction under a transaction-scoped advisory lock, so two deployments changing at once
 * cannot take the same port (the table's primary key backs the lock). Only a change that needs a new port takes the
 * lock.
 */
@ApplicationScoped
@Startup
public class EdgePorts {

    private static final Logger LOG = Logger.getLogger(EdgePorts.class);
    /** The advisory lock of every edge port allocation (an arbitrary constant: "nfep"). */
    private static final long ALLOCATION_LOCK = 0x6e666570L;

    private final EntityManager em;
    private final EdgePortRange range;

    /** @throws IllegalArgumentException at start-up when the configured range is not usable, naming the key */
    EdgePorts(EntityManager em, ControlApiConfig config) {
        this.em = em;
        try {
            this.range = EdgePortRange.parse(config.edge().tcpPorts());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nanofleet.control-api.edge.tcp-ports " + e.getMessage(), e);
        }
    }

    public EdgePortRange range() {
        return range;
    }

    /**
     * Makes the deployment's edge ports match its tcp ports now: frees those of ports no longer tcp (all of them once it
     * is deleted), keeps the others, allocates the missing ones.
     *
     * @return the tcp container ports left without an edge port because the range is used up (empty normally)
     */
    List<Integer> sync(DeploymentEntity d) {
        Set<Integer> wanted = new HashSet<>();
        if (!d.deleted()) {
            d.tcpPorts.stream().filter(d.ports::contains).forEach(wanted::add);
        }
        Set<Integer> held = new HashSet<>();
        d.edgePorts.forEach(e -> held.add(e.containerPort));
        List<Integer> missing = d.ports.stream().filter(p -> wanted.contains(p) && !held.contains(p)).toList();
        // the ports in use are read before this deployment frees any: Hibernate inserts before it deletes, so a port
        // freed and taken again in one flush would collide with itself
        Set<Integer> used = missing.isEmpty() ? Set.of() : lockAndReadUsed();
        List<EdgePortEntity> freed = d.edgePorts.stream().filter(e -> !wanted.contains(e.containerPort)).toList();
        d.edgePorts.removeAll(freed);
        freed.forEach(e -> LOG.infof("event=edge-port.freed deployment=%s containerPort=%d edgePort=%d", d.id,
                e.containerPort, e.edgePort));
        List<Integer> leftOut = new ArrayList<>();
        Set<Integer> taken = new HashSet<>(used);
        for (int containerPort : missing) {
            var free = range.firstFree(taken);
            if (free.isEmpty()) {
                leftOut.add(containerPort);
                continue;
            }
            taken.add(free.get());
            d.edgePorts.add(EdgePortEntity.of(d, containerPort, free.get()));
            LOG.infof("event=edge-port.allocated deployment=%s containerPort=%d edgePort=%d", d.id, containerPort,
                    free.get());
        }
        d.edgePorts.sort(java.util.Comparator.comparingInt(e -> e.containerPort));
        if (!leftOut.isEmpty()) {
            LOG.warnf("event=edge-port.exhausted deployment=%s containerPorts=%s range=%s", d.id, leftOut, range);
        }
        return leftOut;
    }

    private Set<Integer> lockAndReadUsed() {
        // the function returns void, which no JDBC type maps: select a constant beside it
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) l").setParameter(1, ALLOCATION_LOCK)
                .getSingleResult();
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT edge_port FROM edge_tcp_port").getResultList();
        Set<Integer> used = new HashSet<>();
        rows.forEach(n -> used.add(n.intValue()));
        return used;
    }
}
