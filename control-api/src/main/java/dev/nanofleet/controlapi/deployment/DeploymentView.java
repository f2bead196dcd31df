package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.openapi.IsolationName;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A deployment as the API shows it to its tenant. The schema's {@code required} lists what every answer has
 * ({@code NON_NULL}: the others are left out when unset).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(@Schema(required = true) UUID id, @Schema(required = true) String name,
        @Schema(required = true) String image, @Schema(required = true) int replicas,
        @Schema(required = true, implementation = CreateDeploymentRequest.ResourcesRequest.class) Resources resources,
        @Schema(required = true, implementation = IsolationName.class) String isolation,
        List<String> command, Map<String, String> env,
        @Schema(required = true, description = "the names of its secrets, never their values") List<String> secretNames,
        @Schema(required = true) RestartPolicyView restartPolicy,
        @Schema(required = true) List<PortView> ports,
        ImageCredentialsView imageCredentials, @Schema(required = true) Instant createdAt,
        @Schema(description = "when it was deleted; absent while it lives") Instant deletedAt,
        @Schema(description = "how the node checks that a replica serves; absent for none") HealthCheckRequest healthCheck,
        @Schema(required = true, description = "where replicas may connect beyond their node") EgressRequest egress,
        @Schema(required = true, description = "the revision it runs or rolls out") int revision,
        @Schema(required = true) RolloutPolicyRequest rolloutPolicy,
        @Schema(description = "the rollout of the current revision; absent when none was made (stopped before it began)") RolloutView rollout,
        @Schema(description = "when it was stopped; absent while it runs") Instant stoppedAt,
        @Schema(required = true) List<InstanceView> instances) {

    /**
     * Where the rollout of {@code revision} stands: {@code updated} replicas of it are desired running, {@code ready}
     * of those serve (healthy, or running for minReadySeconds without a check).
     */
    public record RolloutView(@Schema(required = true) int revision,
            @Schema(required = true, type = SchemaType.STRING, enumeration = {
                    "progressing", "complete", "failed",
                    "rolled-back", "cancelled"}) String state,
            @Schema(required = true) int desired, @Schema(required = true) int updated,
            @Schema(required = true) int ready,
            @Schema(description = "why it failed, was rolled back or cancelled") String reason,
            @Schema(required = true) Instant startedAt){
    }

    /** Which login pulls the image; the password is never shown. */
    public record ImageCredentialsView(@Schema(required = true) String username) {
    }

    public record RestartPolicyView(@Schema(required = true) RestartMode mode,
            @Schema(required = true) int maxRetries) {
    }

    /**
     * A published port and how the edge reaches it: {@code http} through the deployment's hostname (its first http
     * port), {@code tcp} on {@code edgePort} of the edge's address.
     */
    public record PortView(@Schema(required = true) int containerPort, @Schema(required = true) PortProtocol protocol,
            @Schema(required = true, nullable = true, description = "the edge port a tcp port is reached on; null for an http port (and for a tcp port of a deleted deployment, or one the platform had no edge port left for)") Integer edgePort) {

        static List<PortView> of(DeploymentEntity d) {
            return d.ports.stream()
                    .map(p -> new PortView(p, d.protocol(p), d.edgePort(p).orElse(null))).toList();
        }
    }

    /**
     * The node's last usage sample of an instance: CPU time since it started and memory in use (for a hardware-isolated
     * instance, the resident memory of its whole VM on the host), and the CPU it used since the sample before.
     */
    public record UsageView(@Schema(required = true) Instant sampledAt, @Schema(required = true) long cpuNanos,
            @Schema(required = true) long memoryBytes,
            @Schema(required = true, nullable = true, description = "the CPU used between the last two samples, in"
                    + " thousandths of a core (1000: one core busy); null until there are two, or when the"
                    + " instance's process started again between them") Long cpuMillis) {

        /** The instance's last sample; null when its node sent none yet. */
        public static UsageView of(InstanceEntity instance) {
            return instance.usageSampledAt() == null
                    ? null
                    : new UsageView(instance.usageSampledAt(), instance.cpuNanos(), instance.memoryBytes(),
                            instance.cpuMillis());
        }
    }

    /**
     * One replica: where it runs and what its node last said. Fields without a value yet are null (never absent).
     * {@code state} and {@code desiredState} are the lower-case names of {@code InstanceState} and {@code DesiredState}
     * (the node API and events keep the upper-case ones).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InstanceView(@Schema(required = true) UUID id, @Schema(required = true) int ordinal,
            @Schema(required = true, nullable = true, description = "its node; null while not placed") String node,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, enumeration = {
                    "hardware", "shared"}) String isolation,
            @Schema(required = true, type = SchemaType.STRING, enumeration = {"pending", "unschedulable", "scheduled",
                    "pulling", "starting", "running", "restarting", "stopping", "stopped", "exited",
                    "failed"}) String state,
            @Schema(required = true, type = SchemaType.STRING, enumeration = {"running", "stopped",
                    "ended"}, description = "running: to run; stopped: to stop; ended: ended for good, its output kept") String desiredState,
            @Schema(required = true, nullable = true) String reason,
            @Schema(required = true, nullable = true) Integer exitCode, @Schema(required = true) int restarts,
            @Schema(required = true, nullable = true) InstanceNetwork network,
            @Schema(required = true, nullable = true) UsageView usage,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "when its node last reported") Instant updatedAt,
            @Schema(required = true, description = "the revision of the deployment it runs") int revision,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, enumeration = {"starting", "healthy",
                    "unhealthy"}, description = "what its health check says while it runs; null without a check") String health,
            @Schema(required = true, nullable = true, description = "the last failed check, in words") String healthReason,
            // always present; not marked required so that typed clients built before it (the portal's fixtures) still
            // compile
            @Schema(description = "when each step of its start happened; always present") TimelineView timeline){

        static InstanceView of(InstanceEntity instance) {
            return new InstanceView(instance.id(), instance.ordinal(), instance.nodeName(),
                    EnumNames.json(instance.isolation()), EnumNames.json(instance.state()),
                    EnumNames.json(instance.desiredState()), instance.reason(),
                    instance.exitCode(), instance.restarts(), instance.network(), UsageView.of(instance),
                    instance.updatedAt(),
                    instance.revision(), EnumNames.json(instance.health()), instance.healthReason(),
                    TimelineView.of(instance.timeline()));
        }
    }

    /**
     * When each step of an instance's start happened, each null until it did (and for instances made before the
     * timeline was recorded). A move to another node starts {@code placedAt} and the node's steps over; {@code
     * relayedAt} is null for a replica that waited for room or was moved. {@code deliveredAt}, {@code pulledAt} and
     * {@code startedAt} are by its node's clock.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "InstanceTimeline")
    public record TimelineView(
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "the API stored the replica (create or scale)") Instant acceptedAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "the request was published to the scheduler") Instant relayedAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "the scheduler placed it on its node") Instant placedAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "its node saw it in its assignments") Instant deliveredAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "its image was ready on the node") Instant pulledAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "its process was running") Instant startedAt,
            @Schema(required = true, nullable = true, type = SchemaType.STRING, format = "date-time", description = "control-api stored it running") Instant reportedAt) {

        static TimelineView of(InstanceEntity.Timeline t) {
            return new TimelineView(t.acceptedAt(), t.relayedAt(), t.placedAt(), t.deliveredAt(), t.pulledAt(),
                    t.startedAt(), t.reportedAt());
        }
    }

    static DeploymentView of(DeploymentEntity deployment) {
        return new DeploymentView(deployment.id, deployment.name, deployment.image, deployment.replicas,
                new Resources(deployment.cpuMillis, deployment.memoryMiB), EnumNames.json(deployment.isolation),
                deployment.command, deployment.env, List.copyOf(new TreeSet<>(deployment.secretsSealed.keySet())),
                new RestartPolicyView(RestartMode.of(deployment.restartMode), deployment.restartMaxRetries),
                PortView.of(deployment),
                deployment.registryUsername == null ? null : new ImageCredentialsView(deployment.registryUsername),
                deployment.createdAt, deployment.deletedAt, HealthCheckRequest.of(deployment.healthCheck),
                EgressRequest.of(deployment.egress), deployment.revision,
                RolloutPolicyRequest.of(deployment.rolloutPolicy()), rollout(deployment),
                deployment.stoppedAt, deployment.instances.stream().map(InstanceView::of).toList());
    }

    private static RolloutView rollout(DeploymentEntity d) {
        return d.rolloutState == null
                ? null
                : new RolloutView(d.revision, EnumNames.json(d.rolloutState), d.replicas, Rollouts.updated(d),
                        d.rolloutReady, d.rolloutReason, d.rolloutStartedAt);
    }
}
