package dev.nanofleet.controlapi.deployment;

import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_ARG_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_COMMAND_ARGS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_CPU_MILLIS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_IMAGE_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_MEMORY_MIB;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_PASSWORD_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_PORTS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_REPLICAS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_RESTART_RETRIES;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_USERNAME_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MIN_CPU_MILLIS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MIN_MEMORY_MIB;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MIN_REPLICAS;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/deployments}. Nullable fields are checked by {@link DeploymentRequestValidator}; the
 * schema states the same bounds from its constants (item and map-key bounds: {@code openapi.OpenApiContract}).
 */
@Schema(name = "CreateDeployment")
public record CreateDeploymentRequest(
        @Schema(description = "DNS label (RFC 1123), unique among the tenant's live deployments", example = "web", required = true, minLength = 1, maxLength = 63, pattern = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$") String name,
        @Schema(description = "OCI image reference [registry[:port]/]repo[/repo...][:tag][@digest], repository in lower case; registry references only", example = "registry.example:5000/busybox:1.36", required = true, minLength = 1, maxLength = MAX_IMAGE_LENGTH) String image,
        @Schema(minimum = "" + MIN_REPLICAS, maximum = "" + MAX_REPLICAS, required = true) Integer replicas,
        @Schema(required = true) ResourcesRequest resources,
        @Schema(description = "auto (by the tenant's trust: hardware for untrusted tenants, shared for trusted ones), hardware or shared (trusted tenants only)", defaultValue = "auto") RequestedIsolation isolation,
        @Schema(description = "The process and its arguments, instead of the image's entrypoint and cmd; the first names the program", minItems = 1, maxItems = MAX_COMMAND_ARGS) List<String> command,
        @Schema(description = "Environment variables (the request's win over the image's); with secrets at most 256 KiB of names and values") Map<String, String> env,
        @Schema(description = "What the node does when the process ends by itself; default on-failure with 5 retries") RestartPolicyRequest restartPolicy,
        @Schema(description = "TCP ports the instance listens on; each is published on a port of its node, and reached through the edge by HTTP (the first http port) or, for a tcp port, on its own edge port", maxItems = MAX_PORTS, uniqueItems = true) List<PortRequest> ports,
        @Schema(description = "Login for the image's registry, for a private image; the password is stored sealed and never shown again") ImageCredentialsRequest imageCredentials,
        @Schema(description = "Environment variables whose values are secret: stored sealed, never shown again (only their names), given only to the node that runs a replica; no name also in env") Map<String, String> secrets,
        @Schema(description = "How the node checks that a replica serves; none by default") HealthCheckRequest healthCheck,
        @Schema(description = "How later revisions roll out") RolloutPolicyRequest rolloutPolicy,
        @Schema(description = "Where replicas may connect beyond their node; default allow-all") EgressRequest egress) {

    /** The create request with the default egress policy. */
    public CreateDeploymentRequest(String name, String image, Integer replicas, ResourcesRequest resources,
            RequestedIsolation isolation, List<String> command, Map<String, String> env,
            RestartPolicyRequest restartPolicy, List<PortRequest> ports, ImageCredentialsRequest imageCredentials,
            Map<String, String> secrets, HealthCheckRequest healthCheck, RolloutPolicyRequest rolloutPolicy) {
        this(name, image, replicas, resources, isolation, command, env, restartPolicy, ports, imageCredentials,
                secrets, healthCheck, rolloutPolicy, null);
    }

    /** The create request without health check or rollout policy. */
    public CreateDeploymentRequest(String name, String image, Integer replicas, ResourcesRequest resources,
            RequestedIsolation isolation, List<String> command, Map<String, String> env,
            RestartPolicyRequest restartPolicy, List<PortRequest> ports, ImageCredentialsRequest imageCredentials,
            Map<String, String> secrets) {
        this(name, image, replicas, resources, isolation, command, env, restartPolicy, ports, imageCredentials,
                secrets, null, null, null);
    }

    /** The create request without restart policy or ports (their defaults apply). */
    public CreateDeploymentRequest(String name, String image, Integer replicas, ResourcesRequest resources,
            RequestedIsolation isolation, List<String> command, Map<String, String> env) {
        this(name, image, replicas, resources, isolation, command, env, null, null, null, null, null, null, null);
    }

    /** Names only: the values of secrets never reach a log. */
    @Override
    public String toString() {
        return "CreateDeploymentRequest[name=" + name + ", image=" + image + ", replicas=" + replicas + ", secrets="
                + (secrets == null ? null : secrets.keySet()) + "]";
    }

    /** Resources of one replica. */
    @Schema(name = "Resources", description = "What one replica gets: CPU in thousandths of a core, memory in MiB")
    public record ResourcesRequest(
            @Schema(minimum = "" + MIN_CPU_MILLIS, maximum = "" + MAX_CPU_MILLIS, required = true) Integer cpuMillis,
            @Schema(minimum = "" + MIN_MEMORY_MIB, maximum = "" + MAX_MEMORY_MIB, required = true) Integer memoryMiB) {
    }

    /** When a replica's process is started again after it ended by itself. */
    @Schema(name = "RestartPolicy")
    public record RestartPolicyRequest(
            @Schema(description = "never, on-failure or always", defaultValue = "on-failure") RestartMode mode,
            @Schema(description = "restarts in a row before the replica stays EXITED (default 5; 0 for never)", minimum = "0", maximum = ""
                    + MAX_RESTART_RETRIES) Integer maxRetries) {
    }

    /** The login for the registry named in the image reference. */
    @Schema(name = "ImageCredentials")
    public record ImageCredentialsRequest(
            @Schema(required = true, minLength = 1, maxLength = MAX_USERNAME_LENGTH, pattern = "^[^:\\u0000-\\u001f\\u007f-\\u009f]*$") String username,
            @Schema(required = true, writeOnly = true, minLength = 1, maxLength = MAX_PASSWORD_LENGTH) String password) {

        @Override
        public String toString() {
            return "ImageCredentials[username=" + username + ", password=***]";
        }
    }

    /**
     * A TCP port the replica listens on, published on a port of its node. The edge sends the deployment's hostname to
     * its first {@code http} port; each {@code tcp} port gets an edge port of its own (plain TCP, no TLS).
     */
    @Schema(name = "Port")
    public record PortRequest(@Schema(minimum = "1", maximum = "65535", required = true) Integer containerPort,
            @Schema(description = "http (the deployment's hostname routes to its first http port) or tcp (the edge forwards raw connections from an edge port the platform assigns)", defaultValue = "http") PortProtocol protocol) {

        /** An HTTP port. */
        public PortRequest(Integer containerPort) {
            this(containerPort, null);
        }

        PortProtocol protocolOrDefault() {
            return protocol == null ? PortProtocol.HTTP : protocol;
        }
    }
}
