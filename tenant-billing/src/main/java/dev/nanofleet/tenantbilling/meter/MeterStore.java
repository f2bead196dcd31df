package dev.nanofleet.tenantbilling.meter;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.service.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The one owner of what the meter read: facts, usage samples and deployment names. Every insert is keyed by what it
 * came from (the event id, the deployment id) and does nothing the second time, so redeliveries and replays change
 * nothing. Rows are never updated or deleted.
 */
@ApplicationScoped
public class MeterStore {

    private static final String INSERT_FACT = """
            INSERT INTO meter_event (id, kind, occurred_at, published_at, tenant, deployment_id, instance_id, node,
                                     state, isolation, cpu_millis, memory_mib)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""";
    private static final String INSERT_SAMPLE = """
            INSERT INTO usage_sample (id, tenant, deployment_id, instance_id, isolation, sampled_at, cpu_nanos,
                                      memory_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""";
    private static final String INSERT_NAME = """
            INSERT INTO deployment_name (deployment_id, tenant, name) VALUES (?, ?, ?)
            ON CONFLICT (deployment_id) DO NOTHING""";
    private static final String SELECT_FACTS = """
            SELECT id, kind, occurred_at, published_at, tenant, deployment_id, instance_id, node, state, isolation,
                   cpu_millis, memory_mib
            FROM meter_event WHERE tenant = ? OR tenant IS NULL""";

    private final Jdbc jdbc;

    public MeterStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A usage sample with the id of the event that carried it. */
    public record SampleEvent(UUID eventId, InstanceUsageSampled sample) {
    }

    /**
     * Records many facts, samples and names in one transaction, as batched statements: what a poll of the consumer
     * brings at once. All or nothing; each row is still keyed, so a repeated one inserts nothing.
     *
     * @return how many facts were new
     */
    public int recordAll(List<MeterEvent> facts, List<SampleEvent> samples, List<DeploymentCreated> names) {
        return jdbc.inTransaction(connection -> {
            int recorded = 0;
            try (PreparedStatement insert = connection.prepareStatement(INSERT_FACT)) {
                for (MeterEvent fact : facts) {
                    bindFact(insert, fact);
                    insert.addBatch();
                }
                for (int count : insert.executeBatch()) {
                    recorded += count > 0 ? 1 : 0;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SAMPLE)) {
                for (SampleEvent sample : samples) {
                    bindSample(insert, sample.eventId(), sample.sample());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_NAME)) {
                for (DeploymentCreated created : names) {
                    bindName(insert, created.deploymentId(), created.tenant(), created.name());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return recorded;
        });
    }

    private static void bindFact(PreparedStatement insert, MeterEvent fact) throws SQLException {
        insert.setObject(1, fact.id());
        insert.setString(2, fact.kind().name());
        insert.setTimestamp(3, Timestamp.from(fact.occurredAt()));
        insert.setTimestamp(4, Timestamp.from(fact.publishedAt()));
        insert.setString(5, fact.tenant());
        insert.setObject(6, fact.deploymentId());
        insert.setObject(7, fact.instanceId());
        insert.setString(8, fact.node());
        insert.setString(9, fact.state() == null ? null : fact.state().name());
        insert.setString(10, fact.isolation() == null ? null : fact.isolation().name());
        setInt(insert, 11, fact.resources() == null ? null : fact.resources().cpuMillis());
        setInt(insert, 12, fact.resources() == null ? null : fact.resources().memoryMiB());
    }

    private static void bindSample(PreparedStatement insert, UUID eventId, InstanceUsageSampled sample)
            throws SQLException {
        insert.setObject(1, eventId);
        insert.setString(2, sample.tenant());
        insert.setObject(3, sample.deploymentId());
        insert.setObject(4, sample.instanceId());
        insert.setString(5, sample.isolation().name());
        insert.setTimestamp(6, Timestamp.from(sample.sampledAt()));
        insert.setLong(7, sample.cpuNanos());
        insert.setLong(8, sample.memoryBytes());
    }

    private static void bindName(PreparedStatement insert, UUID deploymentId, String tenant, String name)
            throws SQLException {
        insert.setObject(1, deploymentId);
        insert.setString(2, tenant);
        insert.setString(3, name);
    }

    /** Everything known about the tenant's instances, and every node fact (they concern all tenants). */
    public List<MeterEvent> factsOf(String tenant) {
        List<MeterEvent> facts = new ArrayList<>();
        jdbc.query(SELECT_FACTS, select -> select.setString(1, tenant), row -> facts.add(fact(row)));
        return facts;
    }

    /** The tenants with any fact Kafka received up to {@code publishedBy}. */
    public List<String> tenantsKnownBy(Instant publishedBy) {
        List<String> tenants = new ArrayList<>();
        jdbc.query(
                "SELECT DISTINCT tenant FROM meter_event WHERE tenant IS NOT NULL AND published_at <= ? ORDER BY tenant",
                select -> select.setTimestamp(1, Timestamp.from(publishedBy)), row -> tenants.add(row.getString(1)));
        return tenants;
    }

    /** When the earliest instance fact happened; empty while there is none. */
    public Optional<Instant> earliestFact() {
        List<Instant> earliest = new ArrayList<>();
        jdbc.query("SELECT min(occurred_at) FROM meter_event WHERE tenant IS NOT NULL", select -> {
        }, row -> {
            Timestamp t = row.getTimestamp(1);
            if (t != null) {
                earliest.add(t.toInstant());
            }
        });
        return earliest.stream().findFirst();
    }

    /** Deployment names by id, for the ids given that the meter has seen created. */
    public Map<UUID, String> names(Collection<UUID> deploymentIds) {
        Map<UUID, String> names = new HashMap<>();
        if (deploymentIds.isEmpty()) {
            return names;
        }
        jdbc.query("SELECT deployment_id, name FROM deployment_name WHERE deployment_id = ANY (?)", select -> select
                .setArray(1, select.getConnection().createArrayOf("uuid", deploymentIds.toArray())),
                row -> names.put(row.getObject(1, UUID.class), row.getString(2)));
        return names;
    }

    /** The tenant's usage samples taken in [from, to), oldest first per instance. */
    public List<Sample> samples(String tenant, Instant from, Instant to) {
        List<Sample> samples = new ArrayList<>();
        jdbc.query("""
                SELECT deployment_id, instance_id, isolation, sampled_at, cpu_nanos, memory_bytes FROM usage_sample
                WHERE tenant = ? AND sampled_at >= ? AND sampled_at < ? ORDER BY instance_id, sampled_at""", select -> {
            select.setString(1, tenant);
            select.setTimestamp(2, Timestamp.from(from));
            select.setTimestamp(3, Timestamp.from(to));
        }, row -> samples.add(new Sample(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                Isolation.valueOf(row.getString(3)), row.getTimestamp(4).toInstant(), row.getLong(5), row.getLong(6))));
        return samples;
    }

    /** Whose an instance is: its tenant and deployment. */
    public record InstanceOwner(String tenant, UUID deploymentId) {
    }

    /**
     * The tenant and deployment of the instance: from the scheduler's fact about it (placed or unschedulable), which
     * every instance has before its node reports on it and which is indexed by instance; or, when a tenant is given,
     * from that tenant's samples of it. Empty for an instance the meter has never heard of.
     *
     * @param tenant the tenant asking, or null for an operator
     */
    public Optional<InstanceOwner> ownerOf(UUID instanceId, String tenant) {
        List<InstanceOwner> owners = new ArrayList<>(1);
        jdbc.query("""
                (SELECT tenant, deployment_id FROM meter_event
                 WHERE instance_id = ? AND kind IN ('PLACED', 'UNSCHEDULABLE') LIMIT 1)
                UNION ALL
                (SELECT tenant, deployment_id FROM usage_sample WHERE tenant = ? AND instance_id = ? LIMIT 1)
                LIMIT 1""", select -> {
            select.setObject(1, instanceId);
            select.setString(2, tenant);
            select.setObject(3, instanceId);
        }, row -> owners.add(new InstanceOwner(row.getString(1), row.getObject(2, UUID.class))));
        return owners.stream().findFirst();
    }

    /**
     * The tenant's instance's samples taken after {@code after}, oldest first, at most {@code limit}, preceded by the
     * last one taken at or before it (if any), which a rate of the first needs.
     *
     * @return the samples in time order; {@link SampleWindow#before()} is null when no sample precedes the window
     */
    public SampleWindow samplesOf(String tenant, UUID instanceId, Instant after, int limit) {
        List<Sample> before = new ArrayList<>(1);
        List<Sample> window = new ArrayList<>();
        jdbc.query("""
                (SELECT true, deployment_id, instance_id, isolation, sampled_at, cpu_nanos, memory_bytes, id
                 FROM usage_sample WHERE tenant = ? AND instance_id = ? AND sampled_at <= ?
                 ORDER BY sampled_at DESC, id DESC LIMIT 1)
                UNION ALL
                (SELECT false, deployment_id, instance_id, isolation, sampled_at, cpu_nanos, memory_bytes, id
                 FROM usage_sample WHERE tenant = ? AND instance_id = ? AND sampled_at > ?
                 ORDER BY sampled_at, id LIMIT ?)
                ORDER BY 5, 8""", select -> {
            select.setString(1, tenant);
            select.setObject(2, instanceId);
            select.setTimestamp(3, Timestamp.from(after));
            select.setString(4, tenant);
            select.setObject(5, instanceId);
            select.setTimestamp(6, Timestamp.from(after));
            select.setInt(7, limit);
        }, row -> (row.getBoolean(1) ? before : window).add(new Sample(row.getObject(2, UUID.class),
                row.getObject(3, UUID.class), Isolation.valueOf(row.getString(4)), row.getTimestamp(5).toInstant(),
                row.getLong(6), row.getLong(7))));
        return new SampleWindow(before.isEmpty() ? null : before.getFirst(), window);
    }

    /** An instance's samples in a window, and the one before it. */
    public record SampleWindow(Sample before, List<Sample> window) {
    }

    /** One measurement of one instance: cumulative CPU time since its process started, and memory in use. */
    public record Sample(UUID deploymentId, UUID instanceId, Isolation isolation, Instant sampledAt, long cpuNanos,
            long memoryBytes) {
    }

    private static MeterEvent fact(ResultSet row) throws SQLException {
        Integer cpu = (Integer) row.getObject(11);
        Integer memory = (Integer) row.getObject(12);
        String state = row.getString(9);
        String isolation = row.getString(10);
        return new MeterEvent(row.getObject(1, UUID.class), MeterEvent.Kind.valueOf(row.getString(2)),
                row.getTimestamp(3).toInstant(), row.getTimestamp(4).toInstant(), row.getString(5),
                row.getObject(6, UUID.class), row.getObject(7, UUID.class), row.getString(8),
                state == null ? null : InstanceState.valueOf(state),
                isolation == null ? null : Isolation.valueOf(isolation),
                cpu == null || memory == null ? null : new Resources(cpu, memory));
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }
}
