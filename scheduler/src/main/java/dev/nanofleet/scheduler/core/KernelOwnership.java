package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import java.util.Optional;

/**
 * A node's kernel is never shared between tenants: once a tenant's shared-kernel instance runs on a node, no other
 * tenant's shared-kernel instance may join it. Hardware-isolated instances bring their own kernel, so they may run
 * beside anyone's. As a second line behind control-api, an untrusted tenant never gets a shared kernel at all.
 */
public final class KernelOwnership implements NodeFilter {

    public static final String OWNED_BY_ANOTHER_TENANT = "kernel owned by another tenant";
    public static final String UNTRUSTED_TENANT = "shared kernel not allowed for untrusted tenant";

    @Override
    public Optional<String> reject(PlacementRequest request, NodeView node) {
        if (request.isolation() != Isolation.SHARED) {
            return Optional.empty();
        }
        if (request.trust() != TenantTrust.TRUSTED) {
            return Optional.of(UNTRUSTED_TENANT);
        }
        if (node.kernelOwner() != null && !node.kernelOwner().equals(request.tenant())) {
            return Optional.of(OWNED_BY_ANOTHER_TENANT);
        }
        return Optional.empty();
    }
}
