package dev.nanofleet.events;

/** Whether a tenant may run shared-kernel workloads. */
public enum TenantTrust {
    TRUSTED, UNTRUSTED;

    /** The isolation "auto" resolves to: hardware for untrusted tenants, shared for trusted ones. */
    public Isolation defaultIsolation() {
        return this == TRUSTED ? Isolation.SHARED : Isolation.HARDWARE;
    }
}
