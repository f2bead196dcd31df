package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.DesiredState;
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

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
