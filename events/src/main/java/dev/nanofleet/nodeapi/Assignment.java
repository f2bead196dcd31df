package dev.nanofleet.nodeapi;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One instance a node is to run (or to stop), with everything needed to start it.
 *
 * @param healthCheck how the node checks it serves; null for none
 * @param egress where the instance may connect beyond its node; never null ({@link EgressPolicy#ALLOW_ALL} when a
 *        control-api of an earlier version sends none)
 */
public record Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
        Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState,
        RestartPolicy restartPolicy, List<PublishedPort> ports, RegistryCredentials imageCredentials,
        HealthCheck healthCheck, EgressPolicy egress) {

    public Assignment {
        egress = egress == null ? EgressPolicy.ALLOW_ALL : egress;
        restartPolicy = restartPolicy == null ? RestartPolicy.NEVER : restartPolicy;
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** Env values may be secrets (control-api opens a deployment's secrets into env for this node only): names only. */
    @Override
    public String toString() {
        return "Assignment[instanceId=" + instanceId + ", deploymentId=" + deploymentId + ", tenant=" + tenant
                + ", image=" + image + ", isolation=" + isolation + ", resources=" + resources + ", env="
                + (env == null ? null : env.keySet()) + ", desiredState=" + desiredState + ", restartPolicy="
                + restartPolicy + ", ports=" + ports + ", imageCredentials=" + imageCredentials + ", healthCheck="
                + healthCheck + ", egress=" + egress + "]";
    }

    /** An assignment with the default egress policy. */
    public Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
            Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState,
            RestartPolicy restartPolicy, List<PublishedPort> ports, RegistryCredentials imageCredentials,
            HealthCheck healthCheck) {
        this(instanceId, deploymentId, tenant, image, isolation, resources, command, env, desiredState, restartPolicy,
                ports, imageCredentials, healthCheck, null);
    }

    /** The same assignment with another egress policy. */
    public Assignment withEgress(EgressPolicy policy) {
        return new Assignment(instanceId, deploymentId, tenant, image, isolation, resources, command, env,
                desiredState, restartPolicy, ports, imageCredentials, healthCheck, policy);
    }

    /** An assignment without a health check. */
    public Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
            Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState,
            RestartPolicy restartPolicy, List<PublishedPort> ports, RegistryCredentials imageCredentials) {
        this(instanceId, deploymentId, tenant, image, isolation, resources, command, env, desiredState, restartPolicy,
                ports, imageCredentials, null, null);
    }

    /** An assignment of a public image. */
    public Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
            Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState,
            RestartPolicy restartPolicy, List<PublishedPort> ports) {
        this(instanceId, deploymentId, tenant, image, isolation, resources, command, env, desiredState, restartPolicy,
                ports, null, null, null);
    }

    /** An assignment of a public image that is never restarted and publishes no port. */
    public Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
            Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState) {
        this(instanceId, deploymentId, tenant, image, isolation, resources, command, env, desiredState,
                RestartPolicy.NEVER, List.of(), null, null, null);
    }
}
