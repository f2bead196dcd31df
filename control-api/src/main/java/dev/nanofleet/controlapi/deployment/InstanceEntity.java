package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One replica of a deployment: where it was placed and what its node last reported. */
@Entity
@Table(name = "instance")
public class InstanceEntity {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "deployment_id")
    public DeploymentEntity deployment;

    public int ordinal;

    @Column(name = "node_name")
    public String nodeName;

    @Enumerated(EnumType.STRING)
    public Isolation isolation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public InstanceState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "desired_state", nullable = false)
    public DesiredState desiredState;

    public String reason;

    @Column(name = "exit_code")
    public Integer exitCode;

    /** How many times its node started it again under the restart policy. */
    public int restarts;

    /** Where it is reachable on its node, as the node last reported; null until it runs. */
    @JdbcTypeCode(SqlTypes.JSON)
    public InstanceNetwork network;

    /** The node's last usage sample: cumulative CPU time and memory in use at {@link #usageSampledAt}. */
    @Column(name = "usage_sampled_at")
    public Instant usageSampledAt;

    @Column(name = "cpu_nanos")
    public Long cpuNanos;

    @Column(name = "memory_bytes")
    public Long memoryBytes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
