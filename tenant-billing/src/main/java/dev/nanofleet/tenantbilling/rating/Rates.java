package dev.nanofleet.tenantbilling.rating;

import java.math.BigDecimal;
import java.util.Objects;

/** What one isolation mode costs: per vCPU-second and per GiB-second reserved, in the price list's currency. */
public record Rates(BigDecimal perVcpuSecond, BigDecimal perGibSecond) {

    public Rates {
        Objects.requireNonNull(perVcpuSecond, "perVcpuSecond");
        Objects.requireNonNull(perGibSecond, "perGibSecond");
        if (perVcpuSecond.signum() < 0 || perGibSecond.signum() < 0) {
            throw new IllegalArgumentException("prices are not negative");
        }
    }

    public BigDecimal of(Resource resource) {
        return resource == Resource.VCPU ? perVcpuSecond : perGibSecond;
    }
}
