package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** A deployment as the API shows it to its tenant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(UUID id, String name, String image, int replicas, Resources resources, String isolation,
        List<String> command, Map<String, String> env, List<String> secretNames, RestartPolicyView restartPolicy,
        List<PortView> ports,
        ImageCredentialsView imageCredentials, Instant createdAt, Instant deletedAt, List<InstanceView> instances) {

    /** Which login pulls the image; the password is never shown. */
    public record ImageCredentialsView(String username) {
    }

    public record RestartPolicyView(RestartMode mode, int maxRetries) {
    }

    public record PortView(int containerPort) {
    }

    /** The node's last usage sample of an instance: CPU time since it started and memory in use. */
    public record UsageView(Instant sampledAt, long cpuNanos, long memoryBytes) {
    }

    /** One replica: where it runs and what its node last said. Fields without a value yet are null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InstanceView(UUID id, int ordinal, String node, String isolation, InstanceState state,
            DesiredState desiredState, String reason, Integer exitCode, int restarts, InstanceNetwork network,
            UsageView usage, Instant updatedAt) {

        static InstanceView of(InstanceEntity instance) {
            UsageView usage = instance.usageSampledAt() == null
                    ? null
                    : new UsageView(instance.usageSampledAt(), instance.cpuNanos(), instance.memoryBytes());
            return new InstanceView(instance.id(), instance.ordinal(), instance.nodeName(),
                    json(instance.isolation()), instance.state(), instance.desiredState(), instance.reason(),
                    instance.exitCode(), instance.restarts(), instance.network(), usage, instance.updatedAt());
        }
    }

    static DeploymentView of(DeploymentEntity deployment) {
        return new DeploymentView(deployment.id, deployment.name, deployment.image, deployment.replicas,
                new Resources(deployment.cpuMillis, deployment.memoryMiB), json(deployment.isolation),
                deployment.command, deployment.env, List.copyOf(new TreeSet<>(deployment.secretsSealed.keySet())),
                new RestartPolicyView(RestartMode.of(deployment.restartMode), deployment.restartMaxRetries),
                deployment.ports.stream().map(PortView::new).toList(),
                deployment.registryUsername == null ? null : new ImageCredentialsView(deployment.registryUsername),
                deployment.createdAt, deployment.deletedAt,
                deployment.instances.stream().map(InstanceView::of).toList());
    }

    static String json(Isolation isolation) {
        return isolation == null ? null : isolation.name().toLowerCase(Locale.ROOT);
    }
}
