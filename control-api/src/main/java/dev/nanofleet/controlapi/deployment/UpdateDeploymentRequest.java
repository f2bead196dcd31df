package dev.nanofleet.controlapi.deployment;

import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_COMMAND_ARGS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_IMAGE_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_PORTS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_REPLICAS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MIN_REPLICAS;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PATCH /v1/deployments/{id}}: every field optional, an omitted one unchanged. A change to what runs
 * (any field but {@code replicas} and {@code rolloutPolicy}) makes a new revision that rolls out; {@code replicas} alone
 * scales. {@code env} and {@code secrets} replace the whole map; {@code command: []} returns to the image's entrypoint;
 * {@code removeHealthCheck: true} removes the health check; {@code egress} replaces the whole egress policy.
 */
@Schema(name = "UpdateDeployment")
public record UpdateDeploymentRequest(
        @Schema(minimum = "" + MIN_REPLICAS, maximum = "" + MAX_REPLICAS) Integer replicas,
        @Schema(minLength = 1, maxLength = MAX_IMAGE_LENGTH) String image,
        CreateDeploymentRequest.ResourcesRequest resources,
        @Schema(description = "auto, hardware or shared (trusted tenants only); a change rolls the replicas to the other mode with the same image") RequestedIsolation isolation,
        @Schema(description = "[] for the image's entrypoint and cmd", maxItems = MAX_COMMAND_ARGS) List<String> command,
        Map<String, String> env,
        @Schema(description = "replaces every secret: the names given are the secrets from now on") Map<String, String> secrets,
        CreateDeploymentRequest.RestartPolicyRequest restartPolicy,
        @Schema(maxItems = MAX_PORTS, uniqueItems = true) List<CreateDeploymentRequest.PortRequest> ports,
        CreateDeploymentRequest.ImageCredentialsRequest imageCredentials,
        HealthCheckRequest healthCheck,
        @Schema(description = "true removes the health check") Boolean removeHealthCheck,
        RolloutPolicyRequest rolloutPolicy,
        @Schema(description = "replaces the egress policy (a new revision)") EgressRequest egress) {

    /** An update that leaves the egress policy as it is. */
    public UpdateDeploymentRequest(Integer replicas, String image, CreateDeploymentRequest.ResourcesRequest resources,
            RequestedIsolation isolation, List<String> command, Map<String, String> env, Map<String, String> secrets,
            CreateDeploymentRequest.RestartPolicyRequest restartPolicy,
            List<CreateDeploymentRequest.PortRequest> ports,
            CreateDeploymentRequest.ImageCredentialsRequest imageCredentials, HealthCheckRequest healthCheck,
            Boolean removeHealthCheck, RolloutPolicyRequest rolloutPolicy) {
        this(replicas, image, resources, isolation, command, env, secrets, restartPolicy, ports, imageCredentials,
                healthCheck, removeHealthCheck, rolloutPolicy, null);
    }

    /** Whether it changes what runs (a new revision), rather than only the count or the rollout policy. */
    boolean revises() {
        return image != null || resources != null || isolation != null || command != null || env != null
                || secrets != null || restartPolicy != null || ports != null || imageCredentials != null
                || healthCheck != null || Boolean.TRUE.equals(removeHealthCheck) || egress != null;
    }

    /** Names only: the values of secrets never reach a log. */
    @Override
    public String toString() {
        return "UpdateDeploymentRequest[replicas=" + replicas + ", image=" + image + ", secrets="
                + (secrets == null ? null : secrets.keySet()) + "]";
    }
}
