package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import java.util.Optional;

/**
 * Decides the isolation a deployment runs with. Untrusted tenants always get their own kernel; trusted tenants may
 * choose either and get a shared kernel by default (density), never shared with another tenant (the scheduler's job).
 */
public final class IsolationPolicy {

    private IsolationPolicy() {
    }

    /** The outcome: an isolation mode, or the reason the request is refused. */
    public record Decision(Isolation isolation, String refusal) {
        public Optional<Isolation> allowed() {
            return Optional.ofNullable(isolation);
        }
    }

    public static Decision resolve(RequestedIsolation requested, TenantTrust trust) {
        return switch (requested) {
            case AUTO -> new Decision(trust.defaultIsolation(), null);
            case HARDWARE -> new Decision(Isolation.HARDWARE, null);
            case SHARED -> trust == TenantTrust.TRUSTED
                    ? new Decision(Isolation.SHARED, null)
                    : new Decision(null, "isolation 'shared' runs on a kernel shared with the node and is only"
                            + " available to trusted tenants; this tenant is untrusted, so use 'hardware' or 'auto'");
        };
    }
}
