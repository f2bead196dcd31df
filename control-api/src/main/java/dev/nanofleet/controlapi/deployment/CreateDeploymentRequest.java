package dev.nanofleet.controlapi.deployment;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/deployments}. Nullable fields are checked by {@link DeploymentRequestValidator}. */
@Schema(name = "CreateDeployment")
public record CreateDeploymentRequest(
        @Schema(description = "DNS label, unique within the tenant", example = "web", required = true) String name,
        @Schema(description = "OCI image reference", example = "registry.example:5000/busybox:1.36", required = true) String image,
        @Schema(minimum = "1", maximum = "50", required = true) Integer replicas,
        @Schema(required = true) ResourcesRequest resources,
        @Schema(description = "auto, hardware or shared", defaultValue = "auto") RequestedIsolation isolation,
        List<String> command, Map<String, String> env,
        @Schema(description = "What the node does when the process ends by itself; default on-failure with 5 retries") RestartPolicyRequest restartPolicy,
        @Schema(description = "TCP ports the instance listens on; each is published on a port of its node") List<PortRequest> ports,
        @Schema(description = "Login for the image's registry, for a private image; the password is stored sealed and never shown again") ImageCredentialsRequest imageCredentials,
        @Schema(description = "Environment variables whose values are secret: stored sealed, never shown again (only their names), given only to the node that runs a replica") Map<String, String> secrets) {

    /** The create request without restart policy or ports (their defaults apply). */
    public CreateDeploymentRequest(String name, String image, Integer replicas, ResourcesRequest resources,
            RequestedIsolation isolation, List<String> command, Map<String, String> env) {
        this(name, image, replicas, resources, isolation, command, env, null, null, null, null);
    }

    /** Names only: the values of secrets never reach a log. */
    @Override
    public String toString() {
        return "CreateDeploymentRequest[name=" + name + ", image=" + image + ", replicas=" + replicas + ", secrets="
                + (secrets == null ? null : secrets.keySet()) + "]";
    }

    /** Resources of one replica. */
    @Schema(name = "Resources")
    public record ResourcesRequest(@Schema(minimum = "50", maximum = "16000") Integer cpuMillis,
            @Schema(minimum = "32", maximum = "65536") Integer memoryMiB) {
    }

    /** When a replica's process is started again after it ended by itself. */
    @Schema(name = "RestartPolicy")
    public record RestartPolicyRequest(
            @Schema(description = "never, on-failure or always", defaultValue = "on-failure") RestartMode mode,
            @Schema(description = "restarts in a row before the replica stays EXITED", minimum = "0", maximum = "100", defaultValue = "5") Integer maxRetries) {
    }

    /** The login for the registry named in the image reference. */
    @Schema(name = "ImageCredentials")
    public record ImageCredentialsRequest(@Schema(required = true) String username,
            @Schema(required = true, writeOnly = true) String password) {

        @Override
        public String toString() {
            return "ImageCredentials[username=" + username + ", password=***]";
        }
    }

    /** A TCP port the replica listens on. */
    @Schema(name = "Port")
    public record PortRequest(@Schema(minimum = "1", maximum = "65535", required = true) Integer containerPort) {
    }
}
