package dev.nanofleet.controlapi.deployment;

import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_REPLICAS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MIN_REPLICAS;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PATCH /v1/deployments/{id}}: the new replica count. */
@Schema(name = "ScaleDeployment")
public record ScaleDeploymentRequest(
        @Schema(minimum = "" + MIN_REPLICAS, maximum = "" + MAX_REPLICAS, required = true) Integer replicas) {
}
