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
        List<String> command, Map<String, String> env) {

    /** Resources of one replica. */
    @Schema(name = "Resources")
    public record ResourcesRequest(@Schema(minimum = "50", maximum = "16000") Integer cpuMillis,
            @Schema(minimum = "32", maximum = "65536") Integer memoryMiB) {
    }
}
