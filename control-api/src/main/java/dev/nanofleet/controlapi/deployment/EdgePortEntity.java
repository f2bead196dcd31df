package dev.nanofleet.controlapi.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** The edge port a tcp port of a live deployment holds ({@link EdgePorts} allocates it). */
@Entity
@Table(name = "edge_tcp_port")
public class EdgePortEntity {

    @Id
    @Column(name = "edge_port")
    public int edgePort;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "deployment_id")
    public DeploymentEntity deployment;

    @Column(name = "container_port", nullable = false)
    public int containerPort;

    static EdgePortEntity of(DeploymentEntity deployment, int containerPort, int edgePort) {
        EdgePortEntity e = new EdgePortEntity();
        e.deployment = deployment;
        e.containerPort = containerPort;
        e.edgePort = edgePort;
        return e;
    }
}
