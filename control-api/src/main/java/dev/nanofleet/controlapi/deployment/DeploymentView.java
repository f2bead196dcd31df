package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A deployment as the API shows it to its tenant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(UUID id, String name, String image, int replicas, Resources resources, String isolation,
        List<String> command, Map<String, String> env, Instant createdAt, Instant deletedAt,
        List<InstanceView> instances) {

    /** One replica: where it runs and what its node last said. Fields without a value yet are null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InstanceView(UUID id, int ordinal, String node, String isolation, InstanceState state,
            DesiredState desiredState, String reason, Integer exitCode, Instant updatedAt) {

        static InstanceView of(InstanceEntity instance) {
            return new InstanceView(instance.id, instance.ordinal, instance.nodeName, json(instance.isolation),
                    instance.state, instance.desiredState, instance.reason, instance.exitCode, instance.updatedAt);
        }
    }

    static DeploymentView of(DeploymentEntity deployment) {
        return new DeploymentView(deployment.id, deployment.name, deployment.image, deployment.replicas,
                new Resources(deployment.cpuMillis, deployment.memoryMiB), json(deployment.isolation),
                deployment.command, deployment.env, deployment.createdAt, deployment.deletedAt,
                deployment.instances.stream().map(InstanceView::of).toList());
    }

    static String json(Isolation isolation) {
        return isolation == null ? null : isolation.name().toLowerCase(Locale.ROOT);
    }
}
