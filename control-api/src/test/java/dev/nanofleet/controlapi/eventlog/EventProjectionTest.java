package dev.nanofleet.controlapi.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.QuotaRefused;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventProjectionTest {

    private static final UUID DEPLOYMENT = UUID.randomUUID();
    private static final UUID INSTANCE = UUID.randomUUID();
    private final EventProjection projection = new EventProjection(
            id -> id.equals(DEPLOYMENT) ? Optional.of("acme") : Optional.empty());

    private static <T extends EventPayload> Event<T> event(String tenant, T data) {
        return Event.of("test", Instant.parse("2026-12-01T10:00:00Z"), tenant, "subject", data);
    }

    @Test
    void a_deployment_event_keeps_its_tenant_ids_actor_and_lower_case_enums() {
        LogRow row = projection.project(event("acme", new DeploymentCreated(DEPLOYMENT, "acme",
                TenantTrust.UNTRUSTED, "web", "busybox:1.36", new Resources(250, 64), Isolation.HARDWARE,
                List.of(new DeploymentCreated.Replica(INSTANCE, 0)))).by("user:alice")).orElseThrow();
        assertThat(row.type()).isEqualTo("deployment.created");
        assertThat(row.tenant()).isEqualTo("acme");
        assertThat(row.deploymentId()).isEqualTo(DEPLOYMENT);
        assertThat(row.instanceId()).isNull();
        assertThat(row.actor()).isEqualTo("user:alice");
        assertThat(row.data().get("isolation").asText()).isEqualTo("hardware");
        assertThat(row.data().get("tenantTrust").asText()).isEqualTo("untrusted");
        assertThat(row.data().get("replicas").get(0).get("instanceId").asText()).isEqualTo(INSTANCE.toString());
    }

    @Test
    void an_instance_event_without_a_tenant_takes_its_deployments() {
        LogRow row = projection.project(event(null, new InstanceStateChanged(INSTANCE, DEPLOYMENT, "node-1",
                InstanceState.RUNNING, null, null, null, null))).orElseThrow();
        assertThat(row.tenant()).isEqualTo("acme");
        assertThat(row.instanceId()).isEqualTo(INSTANCE);
        assertThat(row.data().get("state").asText()).isEqualTo("running");
    }

    @Test
    void an_event_whose_tenant_cannot_be_known_is_kept_for_operators_only() {
        LogRow row = projection.project(event(null, new InstanceStateChanged(INSTANCE, UUID.randomUUID(), "node-1",
                InstanceState.FAILED, "oom", 137, null, null))).orElseThrow();
        assertThat(row.tenant()).isNull();
    }

    @Test
    void node_events_belong_to_no_tenant_and_periodic_events_are_not_kept() {
        LogRow row = projection.project(event(null, new NodeStatusChanged("node-1", NodeLiveness.LOST,
                Instant.parse("2026-12-01T09:59:00Z"), "silent"))).orElseThrow();
        assertThat(row.tenant()).isNull();
        assertThat(row.data().get("status").asText()).isEqualTo("lost");
        assertThat(row.data().get("lastHeartbeat").asText()).isEqualTo("2026-12-01T09:59:00Z");
        assertThat(projection.project(event(null, new NodeHeartbeat("node-1")))).isEmpty();
        assertThat(projection.project(event("acme", new InstanceUsageSampled(INSTANCE, DEPLOYMENT, "acme", "node-1",
                Isolation.SHARED, new Resources(100, 64), Instant.now(), 1, 2)))).isEmpty();
    }

    @Test
    void a_quota_refusal_is_its_tenants() {
        LogRow row = projection.project(event("acme", new QuotaRefused("acme", "hardware.instances", 1, 1, 2,
                "hardware: 2 instances"))).orElseThrow();
        assertThat(row.tenant()).isEqualTo("acme");
        assertThat(row.deploymentId()).isNull();
        assertThat(ApiJson.mapper().convertValue(row.data(), Map.class)).containsEntry("quota", "hardware.instances");
    }

    @Test
    void the_log_reads_every_topic_of_a_kept_type() {
        assertThat(LoggedTypes.TOPICS).containsExactly("nanofleet.billing.v1", "nanofleet.deployments.v1",
                "nanofleet.instances.v1", "nanofleet.nodes.v1");
    }
}
