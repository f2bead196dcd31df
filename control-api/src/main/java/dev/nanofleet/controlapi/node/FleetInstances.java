package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.deployment.DeploymentRevisionEntity;
import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.deployment.RevisionSpec;
import dev.nanofleet.controlapi.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the fleet's instances, each with the spec of the revision it runs (in the same query: a fleet view reads many
 * at once). The one place that says which instances a node runs: those placed there that have not ended, which its
 * assignment list names and the node views sum up. Callers hold a transaction.
 */
@ApplicationScoped
public class FleetInstances {

    /** A LEFT JOIN, so that an instance without its revision fails loudly instead of going missing. */
    private static final String WITH_REVISION = """
            SELECT i, r FROM InstanceEntity i JOIN FETCH i.deployment d
            LEFT JOIN DeploymentRevisionEntity r ON r.deploymentId = d.id AND r.number = i.revision
            """;
    /** The ended states as literals, as every query here names them: Hibernate then keeps its translation to SQL. */
    private static final String PLACED = "i.nodeName IS NOT NULL AND i.state NOT IN "
            + InstanceEntity.endedStatesJpql();
    /**
     * {@link FleetInstanceView#ORDER} in SQL: names compared by code point (ucs_basic) as Java compares them, not by the
     * database's locale, which would order a limited page unlike the node page.
     */
    private static final String FLEET_ORDER = " ORDER BY collate(d.tenant as ucs_basic), collate(d.name as ucs_basic),"
            + " d.id, i.ordinal";

    /** An instance and the spec of the revision it runs. */
    public record Placed(InstanceEntity instance, RevisionSpec spec) {
    }

    private final EntityManager em;
    private final Tenants tenants;

    FleetInstances(EntityManager em, Tenants tenants) {
        this.em = em;
        this.tenants = tenants;
    }

    /** What the node runs: its instances that have not ended, in the order their deployments were made. */
    public List<Placed> placedOn(String node) {
        // the ended states as literals: this runs on every assignment fetch, and an IN-list parameter would make
        // Hibernate translate it to SQL each time
        return read(em.createQuery(WITH_REVISION + "WHERE i.nodeName = :node AND i.state NOT IN "
                + InstanceEntity.endedStatesJpql() + " ORDER BY d.createdAt, d.id, i.ordinal", Object[].class)
                .setParameter("node", node));
    }

    /** {@link #placedOn} as operators see it, in fleet order ({@link FleetInstanceView#ORDER}). */
    List<FleetInstanceView> viewsOn(String node) {
        return views(placedOn(node)).stream().sorted(FleetInstanceView.ORDER).toList();
    }

    /** {@link #placedOn} for every node at once, by node name. */
    Map<String, List<FleetInstanceView>> viewsByNode() {
        List<Placed> placed = read(em.createQuery(WITH_REVISION + "WHERE " + PLACED + FLEET_ORDER, Object[].class));
        return views(placed).stream()
                .collect(Collectors.groupingBy(FleetInstanceView::node, TreeMap::new, Collectors.toList()));
    }

    /** The instances an operator asked for, in fleet order, at most {@code query.limit()}. */
    List<FleetInstanceView> find(FleetInstanceQuery query) {
        StringBuilder jpql = new StringBuilder(WITH_REVISION).append("WHERE i.state IN :states");
        if (query.node() != null) {
            jpql.append(" AND i.nodeName = :node");
        }
        if (query.tenant() != null) {
            jpql.append(" AND d.tenant = :tenant");
        }
        TypedQuery<Object[]> found = em.createQuery(jpql.append(FLEET_ORDER).toString(), Object[].class)
                .setParameter("states", query.states()).setMaxResults(query.limit());
        if (query.node() != null) {
            found.setParameter("node", query.node());
        }
        if (query.tenant() != null) {
            found.setParameter("tenant", query.tenant());
        }
        return views(read(found));
    }

    private static List<Placed> read(TypedQuery<Object[]> query) {
        return query.getResultStream().map(row -> {
            InstanceEntity instance = (InstanceEntity) row[0];
            if (!(row[1] instanceof DeploymentRevisionEntity revision)) {
                throw new IllegalStateException("deployment " + instance.deployment().id + " has no revision "
                        + instance.revision());
            }
            return new Placed(instance, revision.spec);
        }).toList();
    }

    private List<FleetInstanceView> views(List<Placed> placed) {
        Map<String, String> names = tenants.names(placed.stream().map(p -> p.instance().deployment().tenant)
                .collect(Collectors.toSet()));
        return placed.stream().map(p -> FleetInstanceView.of(p.instance(), p.spec(),
                names.get(p.instance().deployment().tenant))).toList();
    }
}
