package dev.nanofleet.controlapi.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The limits of one isolation mode; a field left out keeps its value (the default for a new tenant). */
@Schema(name = "QuotaLimits")
public record QuotaRequest(@Schema(minimum = "0", maximum = "10000000") Integer cpuMillis,
        @Schema(minimum = "0", maximum = "100000000") Integer memoryMiB,
        @Schema(minimum = "0", maximum = "100000") Integer instances) {

    /** Both isolation modes' limits. */
    @Schema(name = "Quotas")
    public record Both(QuotaRequest shared, QuotaRequest hardware) {
    }
}
