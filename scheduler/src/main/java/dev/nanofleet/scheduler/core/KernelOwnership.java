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

    private static final Optional<String> OWNED_BY_ANOTHER_TENANT_REASON = Optional.of(OWNED_BY_ANOTHER_TENANT);
    private static final Optional<String> UNTRUSTED_TENANT_REASON = Optional.of(UNTRUSTED_TENANT);

    @Override
    public Optional<String> reject(PlacementRequest request, NodeFacts node) {
        if (request.isolation() != Isolation.SHARED) {
            return Optional.empty();
        }
        if (request.trust() != TenantTrust.TRUSTED) {
            return UNTRUSTED_TENANT_REASON;
        }
        if (!node.kernelOpenTo(request.tenant())) {
            return OWNED_BY_ANOTHER_TENANT_REASON;
        }
        return Optional.empty();
    }
}
