package dev.nanofleet.controlapi.deployment;

/** Body of {@code PATCH /v1/deployments/{id}}: the new replica count. */
public record ScaleDeploymentRequest(Integer replicas) {
}
