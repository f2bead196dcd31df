package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Builders for requests and nodes, with stable ids so tests are reproducible. */
final class Fixtures {

    static final UUID DEPLOYMENT = id("deployment");

    private Fixtures() {
    }

    static UUID id(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    static PlacementRequest shared(String instance, String tenant, int cpu, int memory) {
        return new PlacementRequest(id(instance), DEPLOYMENT, tenant, TenantTrust.TRUSTED, Isolation.SHARED,
                new Resources(cpu, memory));
    }

    static PlacementRequest hardware(String instance, String tenant, int cpu, int memory) {
        return new PlacementRequest(id(instance), DEPLOYMENT, tenant, TenantTrust.UNTRUSTED, Isolation.HARDWARE,
                new Resources(cpu, memory));
    }

    static NodeView node(String name, int cpu, int memory) {
        return NodeView.empty(name, new Resources(cpu, memory), Set.of(Isolation.HARDWARE, Isolation.SHARED));
    }

    static NodeView used(NodeView node, int cpu, int memory) {
        return new NodeView(node.name(), node.allocatable(), new Resources(cpu, memory), node.isolations(),
                node.labels(), node.status(), node.kernelOwner(), node.replicasByDeployment());
    }

    static NodeView ownedBy(NodeView node, String tenant) {
        return new NodeView(node.name(), node.allocatable(), node.used(), node.isolations(), node.labels(),
                node.status(), tenant, node.replicasByDeployment());
    }

    static NodeView cordoned(NodeView node) {
        return new NodeView(node.name(), node.allocatable(), node.used(), node.isolations(), node.labels(),
                NodeStatus.CORDONED,
                node.kernelOwner(), node.replicasByDeployment());
    }

    static NodeView status(NodeView node, NodeStatus status) {
        return new NodeView(node.name(), node.allocatable(), node.used(), node.isolations(), node.labels(), status,
                node.kernelOwner(), node.replicasByDeployment());
    }

    static NodeView labelled(NodeView node, Map<String, String> labels) {
        return new NodeView(node.name(), node.allocatable(), node.used(), node.isolations(), labels, node.status(),
                node.kernelOwner(), node.replicasByDeployment());
    }

    static PlacementRequest selecting(PlacementRequest request, Map<String, String> selector) {
        return new PlacementRequest(request.instanceId(), request.deploymentId(), request.tenant(), request.trust(),
                request.isolation(), request.resources(), selector);
    }

    static NodeView offering(NodeView node, Isolation... isolations) {
        return new NodeView(node.name(), node.allocatable(), node.used(), Set.of(isolations), Map.of(),
                node.status(), node.kernelOwner(), node.replicasByDeployment());
    }
}
