package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The nodes in scan order plus where each deployment runs, kept current as placements are applied. Scan order takes
 * the zones in turn (zone names sorted, node names sorted within a zone: Kubernetes' node tree), so a sample of
 * consecutive nodes covers every zone, and the order never depends on how the caller listed the nodes.
 * <p>
 * What changes with placements is kept per node in parallel arrays indexed by scan position (used capacity, kernel
 * owner) and per deployment in {@link DeploymentReplicas}: a placement writes a few ints instead of copying a node's
 * maps, a scan reads consecutive array slots instead of chasing one object per node, and the heap holds a few dozen
 * bytes per node beyond the caller's {@link NodeView}s. Filters and scorers see a node through {@link #cursor()}, a
 * {@link NodeFacts} over these arrays; {@link NodeView}s are built again only at the edge ({@link #at},
 * {@link #byName}), and a node no placement touched is handed back as it came.
 */
final class FleetIndex {

    private static final NodeStatus[] STATUSES = NodeStatus.values();
    private static final int NO_TENANT = -1;
    /** Up to this many nodes a deployment's nodes are searched in order; beyond, sorted and bisected. */
    private static final int LINEAR_SEARCH = 16;

    private final NodeView[] given;
    private final String[] names;
    private final byte[] status;
    private final byte[] isolations;
    private final int[] zoneOf;
    private final String[] zones;
    private final int[] allocatableCpu;
    private final int[] allocatableMemory;
    private final int[] usedCpu;
    private final int[] usedMemory;
    private final int[] ownerOf;
    private final boolean[] touched;

    private final Map<String, Integer> tenantIds = new HashMap<>();
    private String[] tenants = new String[0];
    /** Per tenant id: the scan positions of the nodes its kernel owns, ascending, in the first kernelCounts slots. */
    private int[][] kernels = new int[0][];
    private int[] kernelCounts = new int[0];

    private final DeploymentReplicas replicas = new DeploymentReplicas();

    /** The request being judged ({@link #prepare}): its tenant's id and its deployment's nodes. */
    private String preparedTenant;
    private int preparedTenantId = NO_TENANT;
    private UUID prepared;
    private int preparedSize;
    private int[] preparedNodes = new int[LINEAR_SEARCH];
    private int[] preparedCounts = new int[LINEAR_SEARCH];
    private long[] sortScratch = new long[0];
    private final int[] zoneScratch;
    private final int[] zonesSeen;
    private final int[] zoneCounts;
    private final String[] zoneNames;

    private final Cursor cursor = new Cursor();

    FleetIndex(Collection<NodeView> nodes) {
        TreeMap<String, List<NodeView>> byZone = new TreeMap<>();
        for (NodeView node : nodes) {
            byZone.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(node);
        }
        List<List<NodeView>> zoneLists = new ArrayList<>(byZone.values());
        zoneLists.forEach(z -> z.sort(Comparator.comparing(NodeView::name)));
        zones = byZone.keySet().toArray(String[]::new);
        int n = nodes.size();
        given = new NodeView[n];
        names = new String[n];
        status = new byte[n];
        isolations = new byte[n];
        zoneOf = new int[n];
        allocatableCpu = new int[n];
        allocatableMemory = new int[n];
        usedCpu = new int[n];
        usedMemory = new int[n];
        ownerOf = new int[n];
        touched = new boolean[n];
        zoneScratch = new int[zones.length];
        zonesSeen = new int[zones.length];
        zoneCounts = new int[zones.length];
        zoneNames = new String[zones.length];
        Set<String> seen = new HashSet<>();
        int filled = 0;
        for (int round = 0; filled < n; round++) {
            for (int z = 0; z < zoneLists.size(); z++) {
                List<NodeView> zone = zoneLists.get(z);
                if (round < zone.size()) {
                    NodeView node = zone.get(round);
                    if (!seen.add(node.name())) {
                        throw new IllegalArgumentException("two nodes named " + node.name());
                    }
                    load(filled++, node, z);
                }
            }
        }
    }

    private void load(int at, NodeView node, int zone) {
        given[at] = node;
        names[at] = node.name();
        status[at] = (byte) node.status().ordinal();
        for (Isolation isolation : node.isolations()) {
            isolations[at] |= (byte) bit(isolation);
        }
        zoneOf[at] = zone;
        allocatableCpu[at] = node.allocatable().cpuMillis();
        allocatableMemory[at] = node.allocatable().memoryMiB();
        usedCpu[at] = node.used().cpuMillis();
        usedMemory[at] = node.used().memoryMiB();
        ownerOf[at] = NO_TENANT;
        if (node.kernelOwner() != null) {
            setOwner(at, tenantId(node.kernelOwner()));
        }
        node.replicasByDeployment().forEach((deployment, count) -> replicas.add(deployment, at, count));
    }

    int size() {
        return names.length;
    }

    String name(int at) {
        return names[at];
    }

    /** The node at scan position {@code at} as it is now. */
    NodeView at(int at) {
        if (!touched[at]) {
            return given[at];
        }
        Map<UUID, Integer> counts = new HashMap<>();
        for (int slot = 0; slot < replicas.slots(); slot++) {
            if (replicas.deployment(slot) != null) {
                int count = replicas.countOn(slot, at);
                if (count > 0) {
                    counts.put(replicas.deployment(slot), count);
                }
            }
        }
        return view(at, counts);
    }

    /** Every node as it is now, by name; one pass over the replica counts for all placed-on nodes. */
    Map<String, NodeView> byName() {
        Map<Integer, Map<UUID, Integer>> counts = new HashMap<>();
        for (int slot = 0; slot < replicas.slots(); slot++) {
            UUID deployment = replicas.deployment(slot);
            if (deployment == null) {
                continue;
            }
            for (int e = replicas.firstEntry(slot); e != DeploymentReplicas.END; e = replicas.nextEntry(e)) {
                if (touched[replicas.node(e)]) {
                    counts.computeIfAbsent(replicas.node(e), i -> new HashMap<>()).put(deployment, replicas.count(e));
                }
            }
        }
        Map<String, NodeView> nodes = HashMap.newHashMap(size());
        for (int at = 0; at < size(); at++) {
            nodes.put(names[at], touched[at] ? view(at, counts.getOrDefault(at, Map.of())) : given[at]);
        }
        return nodes;
    }

    private NodeView view(int at, Map<UUID, Integer> counts) {
        NodeView node = given[at];
        return new NodeView(names[at], node.allocatable(), new Resources(usedCpu[at], usedMemory[at]),
                node.isolations(), node.labels(), node.status(), owner(at), counts);
    }

    /** A reusable view of one node for filters and scorers; {@link Cursor#moveTo} picks the node. */
    Cursor cursor() {
        return cursor;
    }

    /** The prepared request's tenant's id, or -1 when that tenant never owned a kernel in this index. */
    int preparedTenant() {
        return preparedTenantId;
    }

    int ownerId(int at) {
        return ownerOf[at];
    }

    /** Scan positions of the nodes whose kernel {@code tenant} owns, ascending, in the first kernelCount slots. */
    int[] kernels(int tenant) {
        return kernels[tenant];
    }

    int kernelCount(int tenant) {
        return kernelCounts[tenant];
    }

    /**
     * Readies the index for judging {@code request} and returns where its deployment's replicas run, over the whole
     * fleet. {@link Cursor#replicasOf} for that deployment then searches the deployment's few nodes rather than the
     * table, and {@link Cursor#kernelOpenTo} for its tenant compares ids rather than strings.
     */
    Footprint prepare(PlacementRequest request) {
        preparedTenant = request.tenant();
        Integer tenant = tenantIds.get(preparedTenant);
        preparedTenantId = tenant == null ? NO_TENANT : tenant;
        UUID deployment = request.deploymentId();
        prepared = deployment;
        preparedSize = 0;
        int slot = replicas.slotOf(deployment);
        if (slot == DeploymentReplicas.END) {
            return Footprint.NONE;
        }
        int seen = 0;
        for (int e = replicas.firstEntry(slot); e != DeploymentReplicas.END; e = replicas.nextEntry(e)) {
            int node = replicas.node(e);
            int count = replicas.count(e);
            if (preparedSize == preparedNodes.length) {
                preparedNodes = Arrays.copyOf(preparedNodes, preparedSize * 2);
                preparedCounts = Arrays.copyOf(preparedCounts, preparedSize * 2);
            }
            preparedNodes[preparedSize] = node;
            preparedCounts[preparedSize++] = count;
            int zone = zoneOf[node];
            if (zoneScratch[zone] == 0) {
                zonesSeen[seen++] = zone;
            }
            zoneScratch[zone] += count;
        }
        for (int i = 0; i < seen; i++) {
            zoneNames[i] = zones[zonesSeen[i]];
            zoneCounts[i] = zoneScratch[zonesSeen[i]];
            zoneScratch[zonesSeen[i]] = 0;
        }
        if (preparedSize > LINEAR_SEARCH) {
            sortPrepared();
        }
        return new Footprint(replicas.total(slot), zoneNames, zoneCounts, seen);
    }

    private void sortPrepared() {
        if (sortScratch.length < preparedSize) {
            sortScratch = new long[preparedNodes.length];
        }
        for (int i = 0; i < preparedSize; i++) {
            sortScratch[i] = ((long) preparedNodes[i] << 32) | preparedCounts[i];
        }
        Arrays.sort(sortScratch, 0, preparedSize);
        for (int i = 0; i < preparedSize; i++) {
            preparedNodes[i] = (int) (sortScratch[i] >>> 32);
            preparedCounts[i] = (int) sortScratch[i];
        }
    }

    private int preparedCountOn(int at) {
        if (preparedSize <= LINEAR_SEARCH) {
            for (int i = 0; i < preparedSize; i++) {
                if (preparedNodes[i] == at) {
                    return preparedCounts[i];
                }
            }
            return 0;
        }
        int i = Arrays.binarySearch(preparedNodes, 0, preparedSize, at);
        return i >= 0 ? preparedCounts[i] : 0;
    }

    /** Charges node {@code at} with {@code request}, as {@link NodeView#withPlaced} does. */
    void apply(int at, PlacementRequest request, Resources charged) {
        touched[at] = true;
        usedCpu[at] += charged.cpuMillis();
        usedMemory[at] += charged.memoryMiB();
        if (request.isolation() == Isolation.SHARED) {
            // the request was just prepared: its tenant's id is known unless the tenant is new to the index
            boolean prepared = request.tenant() == preparedTenant && preparedTenantId != NO_TENANT;
            setOwner(at, prepared ? preparedTenantId : tenantId(request.tenant()));
        }
        replicas.add(request.deploymentId(), at, 1);
        prepared = null;
        preparedTenant = null;
    }

    private String owner(int at) {
        return ownerOf[at] == NO_TENANT ? null : tenants[ownerOf[at]];
    }

    private int tenantId(String tenant) {
        Integer id = tenantIds.get(tenant);
        if (id != null) {
            return id;
        }
        int next = tenantIds.size();
        tenantIds.put(tenant, next);
        if (next == kernels.length) {
            int grown = Math.max(8, next * 2);
            tenants = Arrays.copyOf(tenants, grown);
            kernels = Arrays.copyOf(kernels, grown);
            kernelCounts = Arrays.copyOf(kernelCounts, grown);
        }
        tenants[next] = tenant;
        kernels[next] = new int[2];
        return next;
    }

    private void setOwner(int at, int tenant) {
        int before = ownerOf[at];
        if (before == tenant) {
            return;
        }
        if (before != NO_TENANT) {
            removeKernel(before, at);
        }
        ownerOf[at] = tenant;
        // kept in scan order, so the candidates (and with them the decision) do not depend on placement history
        int count = kernelCounts[tenant];
        int[] list = kernels[tenant];
        int i = -Arrays.binarySearch(list, 0, count, at) - 1;
        if (count == list.length) {
            list = Arrays.copyOf(list, count * 2);
            kernels[tenant] = list;
        }
        System.arraycopy(list, i, list, i + 1, count - i);
        list[i] = at;
        kernelCounts[tenant] = count + 1;
    }

    private void removeKernel(int tenant, int at) {
        int count = kernelCounts[tenant];
        int[] list = kernels[tenant];
        int i = Arrays.binarySearch(list, 0, count, at);
        System.arraycopy(list, i + 1, list, i, count - i - 1);
        kernelCounts[tenant] = count - 1;
    }

    private static int bit(Isolation isolation) {
        return 1 << isolation.ordinal();
    }

    /** One node of the index as the filters and scorers see it; valid until it moves. */
    final class Cursor implements NodeFacts {

        private int at;

        Cursor moveTo(int position) {
            this.at = position;
            return this;
        }

        @Override
        public String name() {
            return names[at];
        }

        @Override
        public NodeStatus status() {
            return STATUSES[status[at]];
        }

        @Override
        public boolean offers(Isolation isolation) {
            return (isolations[at] & bit(isolation)) != 0;
        }

        @Override
        public Map<String, String> labels() {
            return given[at].labels();
        }

        @Override
        public String zone() {
            return zones[zoneOf[at]];
        }

        @Override
        public String kernelOwner() {
            return owner(at);
        }

        @Override
        public boolean kernelOpenTo(String tenant) {
            int owner = ownerOf[at];
            if (owner == NO_TENANT) {
                return true;
            }
            if (tenant == preparedTenant) {
                return owner == preparedTenantId;
            }
            return tenants[owner].equals(tenant);
        }

        @Override
        public int allocatableCpuMillis() {
            return allocatableCpu[at];
        }

        @Override
        public int allocatableMemoryMiB() {
            return allocatableMemory[at];
        }

        @Override
        public int usedCpuMillis() {
            return usedCpu[at];
        }

        @Override
        public int usedMemoryMiB() {
            return usedMemory[at];
        }

        @Override
        public int replicasOf(UUID deploymentId) {
            if (deploymentId == prepared || deploymentId.equals(prepared)) {
                return preparedCountOn(at);
            }
            int slot = replicas.slotOf(deploymentId);
            return slot == DeploymentReplicas.END ? 0 : replicas.countOn(slot, at);
        }
    }
}
