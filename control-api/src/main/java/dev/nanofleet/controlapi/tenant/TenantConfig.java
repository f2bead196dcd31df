package dev.nanofleet.controlapi.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The quotas a tenant has where an operator set none, per isolation mode. */
@ConfigMapping(prefix = "nanofleet.tenants.default-quotas")
public interface TenantConfig {

    /** Shared-kernel containers: dense, so more of them. */
    @WithDefault("32000")
    @Min(0)
    @Max(TenantRequestValidator.MAX_CPU_MILLIS)
    int sharedCpuMillis();

    @WithDefault("65536")
    @Min(0)
    @Max(TenantRequestValidator.MAX_MEMORY_MIB)
    int sharedMemoryMib();

    @WithDefault("100")
    @Min(0)
    @Max(TenantRequestValidator.MAX_INSTANCES)
    int sharedInstances();

    /** Hardware-isolated VMs: each costs the node a VM's overhead on top of its request. */
    @WithDefault("16000")
    @Min(0)
    @Max(TenantRequestValidator.MAX_CPU_MILLIS)
    int hardwareCpuMillis();

    @WithDefault("32768")
    @Min(0)
    @Max(TenantRequestValidator.MAX_MEMORY_MIB)
    int hardwareMemoryMib();

    @WithDefault("50")
    @Min(0)
    @Max(TenantRequestValidator.MAX_INSTANCES)
    int hardwareInstances();

    default Quota defaults(dev.nanofleet.events.Isolation isolation) {
        return isolation == dev.nanofleet.events.Isolation.SHARED
                ? new Quota(sharedCpuMillis(), sharedMemoryMib(), sharedInstances())
                : new Quota(hardwareCpuMillis(), hardwareMemoryMib(), hardwareInstances());
    }
}
