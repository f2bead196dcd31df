package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * A tenant as control-api keeps it: the one owner of its trust, state and quotas. Keycloak only places users in it.
 * A null quota column means the configured default applies.
 */
@Entity
@Table(name = "tenant")
public class TenantEntity {

    @Id
    String id;

    @Column(nullable = false)
    String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    TenantTrust trust;

    /** Trust is being lowered: see {@link #trustForNewWork()}. */
    @Column(name = "trust_lowering", nullable = false)
    boolean trustLowering;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    TenantState state;

    @Column(name = "shared_cpu_millis")
    Integer sharedCpuMillis;

    @Column(name = "shared_memory_mib")
    Integer sharedMemoryMiB;

    @Column(name = "shared_instances")
    Integer sharedInstances;

    @Column(name = "hardware_cpu_millis")
    Integer hardwareCpuMillis;

    @Column(name = "hardware_memory_mib")
    Integer hardwareMemoryMiB;

    @Column(name = "hardware_instances")
    Integer hardwareInstances;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Version
    long version;

    public String id() {
        return id;
    }

    public TenantTrust trust() {
        return trust;
    }

    public TenantState state() {
        return state;
    }

    public boolean trustLowering() {
        return trustLowering;
    }

    /**
     * The trust new work is placed under: untrusted from the moment an operator lowers it, while {@link #trust()}
     * still reads trusted until the last shared-kernel replica has stopped, so an untrusted tenant never holds one.
     */
    public TenantTrust trustForNewWork() {
        return trustLowering ? TenantTrust.UNTRUSTED : trust;
    }

    /** The last shared-kernel replica stopped: the tenant is untrusted now. */
    public void completeTrustLowering() {
        if (trustLowering) {
            trust = TenantTrust.UNTRUSTED;
            trustLowering = false;
        }
    }

    /** The quota of one isolation mode: this tenant's own values where set, the defaults elsewhere. */
    public Quota quota(Isolation isolation, Quota defaults) {
        return isolation == Isolation.SHARED
                ? new Quota(or(sharedCpuMillis, defaults.cpuMillis()), or(sharedMemoryMiB, defaults.memoryMiB()),
                        or(sharedInstances, defaults.instances()))
                : new Quota(or(hardwareCpuMillis, defaults.cpuMillis()), or(hardwareMemoryMiB, defaults.memoryMiB()),
                        or(hardwareInstances, defaults.instances()));
    }

    void setQuota(Isolation isolation, QuotaRequest request) {
        if (request == null) {
            return;
        }
        if (isolation == Isolation.SHARED) {
            sharedCpuMillis = request.cpuMillis() == null ? sharedCpuMillis : request.cpuMillis();
            sharedMemoryMiB = request.memoryMiB() == null ? sharedMemoryMiB : request.memoryMiB();
            sharedInstances = request.instances() == null ? sharedInstances : request.instances();
        } else {
            hardwareCpuMillis = request.cpuMillis() == null ? hardwareCpuMillis : request.cpuMillis();
            hardwareMemoryMiB = request.memoryMiB() == null ? hardwareMemoryMiB : request.memoryMiB();
            hardwareInstances = request.instances() == null ? hardwareInstances : request.instances();
        }
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
