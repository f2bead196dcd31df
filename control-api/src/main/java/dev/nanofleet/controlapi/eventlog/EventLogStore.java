package dev.nanofleet.controlapi.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code event_log} table. Plain JDBC on the shared data source: inside a JTA transaction a connection joins it, so
 * an insert commits with whatever else the caller's transaction holds.
 */
@ApplicationScoped
public class EventLogStore {

    /**
     * Any fixed key: the lock every insert holds from drawing its seq to its commit, so seqs commit in the order they
     * are drawn (see the migration V1_9).
     */
    static final long SEQUENCE_LOCK = 0x4e46_4556_4c4f_4721L;

    private static final String INSERT = """
            INSERT INTO event_log (event_id, type, time, tenant, deployment_id, instance_id, actor, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (event_id) DO NOTHING""";
    private static final String COLUMNS = "seq, event_id, type, time, tenant, deployment_id, instance_id, actor, data";

    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;

    EventLogStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the row unless its event id is stored already. Must run in a transaction: the sequence lock it takes is
     * released at commit.
     *
     * @return whether it was new
     */
    public boolean insert(LogRow row) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, SEQUENCE_LOCK);
                lock.execute();
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, row.eventId());
                insert.setString(2, row.type());
                insert.setTimestamp(3, Timestamp.from(row.time()));
                insert.setString(4, row.tenant());
                insert.setObject(5, row.deploymentId());
                insert.setObject(6, row.instanceId());
                insert.setString(7, row.actor());
                insert.setString(8, ApiJson.mapper().writeValueAsString(row.data()));
                return insert.executeUpdate() == 1;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot store event " + row.eventId() + " in the event log", e);
        }
    }

    /** The tenant of a stored deployment (deleted ones too). */
    public Optional<String> tenantOfDeployment(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT tenant FROM deployment WHERE id = ?")) {
            query.setObject(1, deploymentId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tenant of deployment " + deploymentId, e);
        }
    }

    /**
     * Up to {@code limit} events after sequence number {@code after}, in log order, that the reader may see and the query asks
     * for.
     *
     * @param tenant the tenant reader's own tenant, or null for an operator (who sees all, or the query's tenant)
     */
    public List<EventEntry> read(String tenant, EventLogQuery query, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM event_log WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(after);
        String only = tenant != null ? tenant : query.tenant();
        if (only != null) {
            sql.append(" AND tenant = ?");
            args.add(only);
        }
        if (query.deploymentId() != null) {
            sql.append(" AND deployment_id = ?");
            args.add(query.deploymentId());
        }
        if (query.since() != null) {
            sql.append(" AND time >= ?");
            args.add(Timestamp.from(query.since()));
        }
        if (!query.types().isEmpty()) {
            sql.append(" AND type = ANY (?)");
            args.add(query.types().toArray(String[]::new));
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object arg = args.get(i);
                if (arg instanceof String[] array) {
                    select.setArray(i + 1, connection.createArrayOf("text", array));
                } else {
                    select.setObject(i + 1, arg);
                }
            }
            List<EventEntry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(entry(rows));
                }
            }
            return entries;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the event log", e);
        }
    }

    /** The highest sequence number stored, 0 when empty. */
    public long lastSeq() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM event_log");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log", e);
        }
    }

    /** Deletes events that happened before {@code cutoff}; returns how many. */
    public int purge(Instant cutoff) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM event_log WHERE time < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge the event log", e);
        }
    }

    private static EventEntry entry(ResultSet rows) throws SQLException, JsonProcessingException {
        Map<String, Object> data = ApiJson.mapper().readValue(rows.getString("data"), PAYLOAD);
        return new EventEntry(Long.toString(rows.getLong("seq")), rows.getObject("event_id", UUID.class),
                rows.getString("type"), rows.getTimestamp("time").toInstant(), rows.getString("tenant"),
                rows.getObject("deployment_id", UUID.class), rows.getObject("instance_id", UUID.class),
                rows.getString("actor"), data);
    }
}
