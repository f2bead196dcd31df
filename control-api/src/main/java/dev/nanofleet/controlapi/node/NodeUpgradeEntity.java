package dev.nanofleet.controlapi.node;

import dev.nanofleet.events.NodeScheduling;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A node's latest OS upgrade (migration V1_17); one row per node, replaced by the next request once it ended. */
@Entity
@Table(name = "node_upgrade")
public class NodeUpgradeEntity {

    @Id
    @Column(name = "node_name")
    public String nodeName;

    @Column(nullable = false)
    public String version;

    /** The version the node ran when the upgrade was asked for: registering with it again means a fallback. */
    @Column(name = "from_version", nullable = false)
    public String fromVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public UpgradeState state;

    public String detail;

    /** What the operator had set before the upgrade drained the node; null until it drained it. */
    @Enumerated(EnumType.STRING)
    @Column(name = "previous_scheduling")
    public NodeScheduling previousScheduling;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
