package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.scheduler.core.NodeView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The scheduler's fleet in memory: every node row and every placement row, with what planning and the event rules
 * look up (the replicas charging each node, each deployment's replicas per node, the pending replicas oldest first).
 * Loaded once, then kept current by the batches this instance commits.
 * <p>
 * PostgreSQL stays the source of truth: this is a cache whose rows carry the version they were read or written at.
 * A batch changes it in place through the methods below, which remember what changed ({@link #changes()}); after the
 * commit {@link #committed()} takes the new versions. When a commit fails, or finds a row another scheduler changed
 * meanwhile, the caller forgets the changes and re-reads the rows concerned ({@link FleetStore#refresh}). Not
 * thread-safe: one batch at a time (the event handler's lock).
 */
final class FleetState {

    private final Map<String, NodeState> nodes = new HashMap<>();
    private final Map<UUID, Replica> replicas = new HashMap<>();
    private final Map<UUID, Set<UUID>> ofDeployment = new HashMap<>();
    private final Map<String, Map<UUID, Replica>> chargingOn = new HashMap<>();
    /** Per deployment, its charging replicas per node: the core's spreading input. */
    private final Map<UUID, Map<String, Integer>> spread = new HashMap<>();
    private final TreeSet<Replica> pending = new TreeSet<>(Replica.OLDEST_FIRST);

    private final Map<String, NodeState> dirtyNodes = new LinkedHashMap<>();
    private final Map<UUID, Replica> dirtyReplicas = new LinkedHashMap<>();
    private final Map<UUID, Replica> deleted = new LinkedHashMap<>();
    private final Map<String, NodeState> deletedNodes = new LinkedHashMap<>();
    private boolean loaded;

    /** What a batch changed, for the commit: rows to insert or update (by {@code stored}) and rows to delete. */
    record Changes(List<NodeState> nodes, List<Replica> replicas, List<Replica> deleted,
            List<NodeState> deletedNodes) {

        boolean isEmpty() {
            return nodes.isEmpty() && replicas.isEmpty() && deleted.isEmpty() && deletedNodes.isEmpty();
        }
    }

    /** The rows a batch touched: re-read after a failed commit. */
    record Touched(Set<String> nodes, Set<UUID> replicas) {
    }

    // ---- reading

    boolean loaded() {
        return loaded;
    }

    NodeState node(String name) {
        return nodes.get(name);
    }

    Collection<NodeState> nodes() {
        return nodes.values();
    }

    Replica replica(UUID instanceId) {
        return replicas.get(instanceId);
    }

    int replicaCount() {
        return replicas.size();
    }

    /** Whether the batch forgets the node (its row is deleted at the commit). */
    boolean forgetting(String name) {
        return deletedNodes.containsKey(name);
    }

    /** The replicas holding capacity on the node, oldest first. */
    List<Replica> chargingOn(String node) {
        List<Replica> on = new ArrayList<>(chargingOn.getOrDefault(node, Map.of()).values());
        on.sort(Replica.OLDEST_FIRST);
        return on;
    }

    boolean runsSharedKernelReplicas(String node) {
        return chargingOn.getOrDefault(node, Map.of())
                .values()
                .stream()
                .anyMatch(r -> r.isolation == Isolation.SHARED);
    }

    /** Every replica of the deployment: placed, pending or ended. */
    List<Replica> ofDeployment(UUID deploymentId) {
        return ofDeployment.getOrDefault(deploymentId, Set.of()).stream().map(replicas::get).toList();
    }

    /** The pending replicas, oldest first. */
    List<Replica> pending() {
        return List.copyOf(pending);
    }

    /** The replicas whose row names one of the nodes (ended ones too). */
    Set<UUID> replicasOn(Set<String> names) {
        Set<UUID> on = new LinkedHashSet<>();
        for (Replica replica : replicas.values()) {
            if (replica.nodeName != null && names.contains(replica.nodeName)) {
                on.add(replica.instanceId);
            }
        }
        return on;
    }

    /**
     * The core's input: every node, with the replica counts of the given deployments (the ones being placed; other
     * deployments' counts do not change a score). A node holding none of them comes as its cached view.
     */
    List<NodeView> views(Set<UUID> deployments) {
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        for (UUID deployment : deployments) {
            spread.getOrDefault(deployment, Map.of())
                    .forEach((node, count) -> counts.computeIfAbsent(node, n -> new HashMap<>())
                            .put(deployment, count));
        }
        List<NodeView> views = new ArrayList<>(nodes.size());
        for (NodeState node : nodes.values()) {
            views.add(node.view(counts.getOrDefault(node.name, Map.of())));
        }
        return views;
    }

    // ---- changes a batch makes (remembered for its commit)

    void register(NodeState node) {
        nodes.put(node.name, node);
        dirtyNodes.put(node.name, node);
    }

    void change(NodeState node, Consumer<NodeState> change) {
        change.accept(node);
        node.changed();
        dirtyNodes.put(node.name, node);
    }

    void add(Replica replica) {
        index(replica);
        dirtyReplicas.put(replica.instanceId, replica);
    }

    void change(Replica replica, Consumer<Replica> change) {
        unindexRuns(replica);
        change.accept(replica);
        indexRuns(replica);
        dirtyReplicas.put(replica.instanceId, replica);
    }

    /** Forgets a removed node; the replicas that ended there keep its name (they hold nothing). */
    void forget(NodeState node) {
        nodes.remove(node.name);
        dirtyNodes.remove(node.name);
        if (node.stored) {
            deletedNodes.put(node.name, node);
        }
    }

    void remove(Replica replica) {
        unindex(replica);
        dirtyReplicas.remove(replica.instanceId);
        if (replica.stored) {
            deleted.put(replica.instanceId, replica);
        }
    }

    /** The batch's changes; nodes sorted by name, so two schedulers lock shared rows in the same order. */
    Changes changes() {
        List<NodeState> changedNodes = new ArrayList<>(dirtyNodes.values());
        changedNodes.sort(Comparator.comparing(n -> n.name));
        return new Changes(changedNodes, List.copyOf(dirtyReplicas.values()), List.copyOf(deleted.values()),
                List.copyOf(deletedNodes.values()));
    }

    Touched touched() {
        Set<UUID> ids = new LinkedHashSet<>(dirtyReplicas.keySet());
        ids.addAll(deleted.keySet());
        Set<String> names = new LinkedHashSet<>(dirtyNodes.keySet());
        names.addAll(deletedNodes.keySet());
        return new Touched(names, ids);
    }

    /** The batch committed: its rows now exist with the next version. */
    void committed() {
        for (NodeState node : dirtyNodes.values()) {
            node.version = node.stored ? node.version + 1 : 0;
            node.stored = true;
        }
        for (Replica replica : dirtyReplicas.values()) {
            replica.version = replica.stored ? replica.version + 1 : 0;
            replica.stored = true;
        }
        forgetChanges();
    }

    /** The batch did not commit; the caller re-reads what it touched. */
    void forgetChanges() {
        dirtyNodes.clear();
        dirtyReplicas.clear();
        deleted.clear();
        deletedNodes.clear();
    }

    // ---- rows read from the database (not changes)

    void clear() {
        nodes.clear();
        replicas.clear();
        ofDeployment.clear();
        chargingOn.clear();
        spread.clear();
        pending.clear();
        forgetChanges();
        loaded = false;
    }

    void markLoaded() {
        loaded = true;
    }

    void put(NodeState fromDatabase) {
        nodes.put(fromDatabase.name, fromDatabase);
    }

    void dropNode(String name) {
        nodes.remove(name);
    }

    void put(Replica fromDatabase) {
        Replica known = replicas.get(fromDatabase.instanceId);
        if (known != null) {
            unindex(known);
        }
        index(fromDatabase);
    }

    void drop(UUID instanceId) {
        Replica known = replicas.get(instanceId);
        if (known != null) {
            unindex(known);
        }
    }

    // ---- indexes

    private void index(Replica replica) {
        replicas.put(replica.instanceId, replica);
        ofDeployment.computeIfAbsent(replica.deploymentId, d -> new LinkedHashSet<>()).add(replica.instanceId);
        indexRuns(replica);
    }

    private void unindex(Replica replica) {
        unindexRuns(replica);
        replicas.remove(replica.instanceId);
        Set<UUID> siblings = ofDeployment.get(replica.deploymentId);
        if (siblings != null) {
            siblings.remove(replica.instanceId);
            if (siblings.isEmpty()) {
                ofDeployment.remove(replica.deploymentId);
            }
        }
    }

    private void indexRuns(Replica replica) {
        if (replica.charging()) {
            chargingOn.computeIfAbsent(replica.nodeName, n -> new HashMap<>()).put(replica.instanceId, replica);
            spread.computeIfAbsent(replica.deploymentId, d -> new HashMap<>()).merge(replica.nodeName, 1,
                    Integer::sum);
        } else if (!replica.placed()) {
            pending.add(replica);
        }
    }

    private void unindexRuns(Replica replica) {
        if (replica.charging()) {
            Map<UUID, Replica> on = chargingOn.get(replica.nodeName);
            if (on != null && on.remove(replica.instanceId) != null) {
                if (on.isEmpty()) {
                    chargingOn.remove(replica.nodeName);
                }
                Map<String, Integer> perNode = spread.get(replica.deploymentId);
                if (perNode != null) {
                    perNode.computeIfPresent(replica.nodeName, (n, c) -> c > 1 ? c - 1 : null);
                    if (perNode.isEmpty()) {
                        spread.remove(replica.deploymentId);
                    }
                }
            }
        } else if (!replica.placed()) {
            pending.remove(replica);
        }
    }
}
