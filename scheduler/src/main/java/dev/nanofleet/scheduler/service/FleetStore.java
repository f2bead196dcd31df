package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.scheduler.core.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The scheduler's rows in PostgreSQL, read into and written from {@link FleetState} with plain JDBC: whole-table reads
 * at start, set-based reads of the rows a batch names, and a batch's writes as a few batched statements in its
 * transaction (inside a JTA transaction the connection joins it). Every UPDATE and DELETE is guarded by the version
 * the view holds, every INSERT does nothing when the row exists: a statement that changes no row means another
 * scheduler got there first, and is reported as a {@link StaleView} instead of being written over. JDBC rather than
 * entities because the commit must learn every row that was stale at once, from each statement's row count.
 */
@ApplicationScoped
class FleetStore {

    static final String CONSUMER = Infrastructure.CONSUMER;

    private static final String NODE_COLUMNS = """
            name, allocatable_cpu_millis, allocatable_memory_mib, isolations, labels, used_cpu_millis, used_memory_mib,
            kernel_owner, status, registered_at, last_heartbeat, version""";
    private static final String PLACEMENT_COLUMNS = """
            instance_id, deployment_id, ordinal, tenant, trust, isolation, cpu_millis, memory_mib, charged_cpu_millis,
            charged_memory_mib, node_name, reason, created_at, placed_at, ended_at, version""";
    private static final String INSERT_NODE = "INSERT INTO nodes (" + NODE_COLUMNS + """
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (name) DO NOTHING""";
    private static final String UPDATE_NODE = """
            UPDATE nodes SET allocatable_cpu_millis = ?, allocatable_memory_mib = ?, isolations = ?, labels = ?,
                used_cpu_millis = ?, used_memory_mib = ?, kernel_owner = ?, status = ?, last_heartbeat = ?,
                version = version + 1
            WHERE name = ? AND version = ?""";
    private static final String INSERT_PLACEMENT = "INSERT INTO placements (" + PLACEMENT_COLUMNS + """
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (instance_id) DO NOTHING""";
    private static final String UPDATE_PLACEMENT = """
            UPDATE placements SET charged_cpu_millis = ?, charged_memory_mib = ?, node_name = ?, reason = ?,
                placed_at = ?, ended_at = ?, version = version + 1
            WHERE instance_id = ? AND version = ?""";
    private static final String DELETE_NODE = "DELETE FROM nodes WHERE name = ? AND version = ?";
    private static final String DELETE_PLACEMENT = "DELETE FROM placements WHERE instance_id = ? AND version = ?";
    /** messaging's ProcessedEvents statement for many ids at once; returns the ids not seen before. */
    private static final String FIRST_TIME = """
            INSERT INTO processed_event (consumer, event_id) SELECT ?, unnest(?::uuid[])
            ON CONFLICT DO NOTHING RETURNING event_id""";

    private static final IsolationsConverter ISOLATIONS = new IsolationsConverter();
    private static final LabelsConverter LABELS = new LabelsConverter();

    private final DataSource dataSource;

    FleetStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads every node and placement into an emptied view. */
    void loadAll(FleetState state) {
        try (Connection connection = dataSource.getConnection()) {
            state.clear();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + NODE_COLUMNS + " FROM nodes");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    state.put(node(rows));
                }
            }
            try (PreparedStatement select = connection
                    .prepareStatement("SELECT " + PLACEMENT_COLUMNS + " FROM placements");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    state.put(replica(rows));
                }
            }
            state.markLoaded();
        } catch (SQLException e) {
            state.clear();
            throw new IllegalStateException("cannot load the fleet: " + e.getMessage(), e);
        }
    }

    /**
     * Records the event ids as applied by this consumer; returns the ones that were not already (the others changed
     * nothing the first time they are skipped). Inside the batch's transaction, so a rollback forgets them too.
     */
    Set<UUID> firstTime(Connection connection, Collection<UUID> eventIds) throws SQLException {
        Set<UUID> fresh = new HashSet<>();
        if (eventIds.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement insert = connection.prepareStatement(FIRST_TIME)) {
            insert.setString(1, CONSUMER);
            insert.setArray(2, connection.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    fresh.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }

    /** What the batch is about to act on, so rows another scheduler changed are re-read before planning. */
    record Named(Set<UUID> instances, Set<UUID> deployments, Set<String> nodes, boolean pending) {
    }

    /**
     * Compares the rows the batch names (its instances, the deployments it deletes, its nodes, and the pending
     * replicas when it may retry them) with the view, and re-reads those another scheduler changed, with the nodes they
     * run on. Returns how many rows were stale; 0 when this instance is the only writer.
     */
    int catchUp(Connection connection, FleetState state, Named named) throws SQLException {
        Set<String> staleNodes = new LinkedHashSet<>();
        Set<UUID> staleReplicas = new LinkedHashSet<>();
        if (!named.instances().isEmpty() || !named.deployments().isEmpty() || named.pending()) {
            Map<UUID, Replica> rows = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + PLACEMENT_COLUMNS
                    + " FROM placements WHERE instance_id = ANY (?) OR deployment_id = ANY (?)"
                    + (named.pending() ? " OR node_name IS NULL" : ""))) {
                select.setArray(1, uuids(connection, named.instances()));
                select.setArray(2, uuids(connection, named.deployments()));
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        Replica row = replica(result);
                        rows.put(row.instanceId, row);
                    }
                }
            }
            for (Replica row : rows.values()) {
                Replica known = state.replica(row.instanceId);
                if (known == null || !known.stored || known.version != row.version) {
                    staleReplicas.add(row.instanceId);
                    addNode(staleNodes, row.nodeName);
                    addNode(staleNodes, known == null ? null : known.nodeName);
                }
            }
            Set<Replica> expected = new HashSet<>();
            named.instances().stream().map(state::replica).filter(r -> r != null).forEach(expected::add);
            named.deployments().forEach(d -> expected.addAll(state.ofDeployment(d)));
            if (named.pending()) {
                expected.addAll(state.pending());
            }
            for (Replica known : expected) {
                // held here but gone from the database, or no longer in the shape the query looked for
                if (known.stored && !rows.containsKey(known.instanceId)) {
                    staleReplicas.add(known.instanceId);
                    addNode(staleNodes, known.nodeName);
                }
            }
        }
        if (!named.nodes().isEmpty()) {
            Map<String, Long> versions = new HashMap<>();
            try (PreparedStatement select = connection
                    .prepareStatement("SELECT name, version FROM nodes WHERE name = ANY (?)")) {
                select.setArray(1, connection.createArrayOf("text", named.nodes().toArray()));
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        versions.put(result.getString(1), result.getLong(2));
                    }
                }
            }
            for (String name : named.nodes()) {
                NodeState known = state.node(name);
                Long version = versions.get(name);
                if ((known == null) != (version == null) || known != null && known.version != version) {
                    staleNodes.add(name);
                }
            }
        }
        if (!staleNodes.isEmpty() || !staleReplicas.isEmpty()) {
            refresh(connection, state, staleNodes, staleReplicas);
        }
        return staleNodes.size() + staleReplicas.size();
    }

    /** The nodes whose row changed since the view read it (another scheduler wrote them), or that it lacks. */
    Set<String> changedNodes(Connection connection, FleetState state) throws SQLException {
        Set<String> changed = new LinkedHashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT name, version FROM nodes");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                NodeState known = state.node(name);
                if (known == null && !state.forgetting(name)
                        || known != null && known.stored && known.version != rows.getLong(2)) {
                    changed.add(name);
                }
            }
        }
        return changed;
    }

    /** Re-reads the rows after a failed commit (outside its transaction: what is committed now). */
    void refresh(FleetState state, Set<String> nodes, Set<UUID> replicas) {
        try (Connection connection = dataSource.getConnection()) {
            refresh(connection, state, nodes, replicas);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot re-read nodes " + nodes + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the nodes and replicas in the view with their rows (dropping those the database no longer has), with
     * every replica the database places on those nodes and every one the view placed there, and the nodes the
     * re-read replicas name.
     */
    void refresh(Connection connection, FleetState state, Set<String> nodes, Set<UUID> replicas) throws SQLException {
        Set<String> names = new LinkedHashSet<>(nodes);
        Set<UUID> ids = new LinkedHashSet<>(replicas);
        ids.addAll(state.replicasOn(names));
        Set<UUID> found = new HashSet<>();
        Set<String> named = new LinkedHashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + PLACEMENT_COLUMNS
                + " FROM placements WHERE instance_id = ANY (?) OR node_name = ANY (?)")) {
            select.setArray(1, uuids(connection, ids));
            select.setArray(2, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Replica row = replica(rows);
                    state.put(row);
                    found.add(row.instanceId);
                    addNode(named, row.nodeName);
                }
            }
        }
        for (UUID id : ids) {
            if (!found.contains(id)) {
                state.drop(id);
            }
        }
        for (String name : named) {
            if (state.node(name) == null) {
                names.add(name);
            }
        }
        Set<String> read = new HashSet<>();
        try (PreparedStatement select = connection
                .prepareStatement("SELECT " + NODE_COLUMNS + " FROM nodes WHERE name = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    NodeState row = node(rows);
                    state.put(row);
                    read.add(row.name);
                }
            }
        }
        for (String name : names) {
            if (!read.contains(name)) {
                state.dropNode(name);
            }
        }
    }

    /** The rows another scheduler changed first: the batch must not commit, and re-reads them. */
    record Conflicts(Set<String> nodes, Set<UUID> replicas) {

        boolean isEmpty() {
            return nodes.isEmpty() && replicas.isEmpty();
        }
    }

    /** Writes the batch's rows and events; returns the rows whose guard matched nothing (then roll back). */
    Conflicts write(Connection connection, FleetState.Changes changes, List<Event<?>> events) throws SQLException {
        Set<String> staleNodes = new LinkedHashSet<>();
        Set<UUID> staleReplicas = new LinkedHashSet<>();
        List<NodeState> inserted = changes.nodes().stream().filter(n -> !n.stored).toList();
        List<NodeState> updated = changes.nodes().stream().filter(n -> n.stored).toList();
        // first: a node removed and registered again in one batch is a new row
        try (PreparedStatement delete = connection.prepareStatement(DELETE_NODE)) {
            for (NodeState node : changes.deletedNodes()) {
                delete.setString(1, node.name);
                delete.setLong(2, node.version);
                delete.addBatch();
            }
            collect(delete, changes.deletedNodes(), n -> staleNodes.add(n.name));
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_NODE)) {
            for (NodeState node : inserted) {
                bindNode(insert, node);
                insert.addBatch();
            }
            collect(insert, inserted, n -> staleNodes.add(n.name));
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_NODE)) {
            for (NodeState node : updated) {
                bindNodeState(update, 1, node);
                update.setObject(9, time(node.lastHeartbeat));
                update.setString(10, node.name);
                update.setLong(11, node.version);
                update.addBatch();
            }
            collect(update, updated, n -> staleNodes.add(n.name));
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_PLACEMENT)) {
            for (Replica replica : changes.deleted()) {
                delete.setObject(1, replica.instanceId);
                delete.setLong(2, replica.version);
                delete.addBatch();
            }
            collect(delete, changes.deleted(), r -> staleReplicas.add(r.instanceId));
        }
        List<Replica> fresh = changes.replicas().stream().filter(r -> !r.stored).toList();
        List<Replica> changed = changes.replicas().stream().filter(r -> r.stored).toList();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_PLACEMENT)) {
            for (Replica replica : fresh) {
                insert.setObject(1, replica.instanceId);
                insert.setObject(2, replica.deploymentId);
                insert.setInt(3, replica.ordinal);
                insert.setString(4, replica.tenant);
                insert.setString(5, replica.trust.name());
                insert.setString(6, replica.isolation.name());
                insert.setInt(7, replica.cpuMillis);
                insert.setInt(8, replica.memoryMiB);
                bindWhere(insert, 9, replica);
                insert.setObject(13, time(replica.createdAt));
                insert.setObject(14, time(replica.placedAt));
                insert.setObject(15, time(replica.endedAt));
                insert.addBatch();
            }
            collect(insert, fresh, r -> staleReplicas.add(r.instanceId));
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_PLACEMENT)) {
            for (Replica replica : changed) {
                bindWhere(update, 1, replica);
                update.setObject(5, time(replica.placedAt));
                update.setObject(6, time(replica.endedAt));
                update.setObject(7, replica.instanceId);
                update.setLong(8, replica.version);
                update.addBatch();
            }
            collect(update, changed, r -> staleReplicas.add(r.instanceId));
        }
        Conflicts conflicts = new Conflicts(staleNodes, staleReplicas);
        if (!conflicts.isEmpty() || events.isEmpty()) {
            return conflicts;
        }
        Outbox.appendAll(connection, events);
        return conflicts;
    }

    private interface Stale<T> {
        void add(T row);
    }

    /** Runs the batch; a statement that changed no row names a row another scheduler changed first. */
    private static <T> void collect(PreparedStatement statement, List<T> rows, Stale<T> stale) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int[] counts = statement.executeBatch();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                stale.add(rows.get(i));
            }
        }
    }

    private static void bindNode(PreparedStatement insert, NodeState node) throws SQLException {
        insert.setString(1, node.name);
        bindNodeState(insert, 2, node);
        insert.setObject(10, time(node.registeredAt));
        insert.setObject(11, time(node.lastHeartbeat));
    }

    /** allocatable cpu and memory, isolations, labels, used cpu and memory, kernel owner, status from {@code at}. */
    private static void bindNodeState(PreparedStatement statement, int at, NodeState node) throws SQLException {
        statement.setInt(at, node.allocatableCpuMillis);
        statement.setInt(at + 1, node.allocatableMemoryMiB);
        statement.setString(at + 2, ISOLATIONS.convertToDatabaseColumn(node.isolations));
        statement.setString(at + 3, LABELS.convertToDatabaseColumn(node.labels));
        statement.setInt(at + 4, node.usedCpuMillis);
        statement.setInt(at + 5, node.usedMemoryMiB);
        statement.setString(at + 6, node.kernelOwner);
        statement.setString(at + 7, node.status.name());
    }

    /** charged cpu, charged memory, node, reason from {@code at}. */
    private static void bindWhere(PreparedStatement statement, int at, Replica replica) throws SQLException {
        setInt(statement, at, replica.chargedCpuMillis);
        setInt(statement, at + 1, replica.chargedMemoryMiB);
        statement.setString(at + 2, replica.nodeName);
        statement.setString(at + 3, replica.reason);
    }

    private static void setInt(PreparedStatement statement, int at, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(at, Types.INTEGER);
        } else {
            statement.setInt(at, value);
        }
    }

    private static NodeState node(ResultSet row) throws SQLException {
        NodeState node = new NodeState(row.getString("name"));
        node.allocatableCpuMillis = row.getInt("allocatable_cpu_millis");
        node.allocatableMemoryMiB = row.getInt("allocatable_memory_mib");
        node.isolations = ISOLATIONS.convertToEntityAttribute(row.getString("isolations"));
        node.labels = LABELS.convertToEntityAttribute(row.getString("labels"));
        node.usedCpuMillis = row.getInt("used_cpu_millis");
        node.usedMemoryMiB = row.getInt("used_memory_mib");
        node.kernelOwner = row.getString("kernel_owner");
        node.status = NodeStatus.valueOf(row.getString("status"));
        node.registeredAt = instant(row, "registered_at");
        node.lastHeartbeat = instant(row, "last_heartbeat");
        node.version = row.getLong("version");
        node.stored = true;
        return node;
    }

    private static Replica replica(ResultSet row) throws SQLException {
        Replica replica = new Replica(row.getObject("instance_id", UUID.class),
                row.getObject("deployment_id", UUID.class), row.getInt("ordinal"), row.getString("tenant"),
                TenantTrust.valueOf(row.getString("trust")), Isolation.valueOf(row.getString("isolation")),
                row.getInt("cpu_millis"), row.getInt("memory_mib"), instant(row, "created_at"));
        replica.chargedCpuMillis = (Integer) row.getObject("charged_cpu_millis");
        replica.chargedMemoryMiB = (Integer) row.getObject("charged_memory_mib");
        replica.nodeName = row.getString("node_name");
        replica.reason = row.getString("reason");
        replica.placedAt = instant(row, "placed_at");
        replica.endedAt = instant(row, "ended_at");
        replica.version = row.getLong("version");
        replica.stored = true;
        return replica;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Array uuids(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    private static void addNode(Set<String> names, String name) {
        if (name != null) {
            names.add(name);
        }
    }
}
