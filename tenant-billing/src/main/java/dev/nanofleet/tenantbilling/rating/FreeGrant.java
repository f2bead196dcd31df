package dev.nanofleet.tenantbilling.rating;

import java.math.BigDecimal;
import java.util.Objects;

/** Usage each tenant gets free every billing period (zero for none), as Azure Container Apps grants. */
public record FreeGrant(BigDecimal vcpuSeconds, BigDecimal gibSeconds) {

    public static final FreeGrant NONE = new FreeGrant(BigDecimal.ZERO, BigDecimal.ZERO);

    public FreeGrant {
        Objects.requireNonNull(vcpuSeconds, "vcpuSeconds");
        Objects.requireNonNull(gibSeconds, "gibSeconds");
        if (vcpuSeconds.signum() < 0 || gibSeconds.signum() < 0) {
            throw new IllegalArgumentException("a free grant is not negative");
        }
    }

    public BigDecimal of(Resource resource) {
        return resource == Resource.VCPU ? vcpuSeconds : gibSeconds;
    }
}
