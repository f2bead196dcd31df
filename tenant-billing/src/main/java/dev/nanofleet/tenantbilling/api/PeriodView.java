package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.rating.Period;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A half-open span of time [start, end) in UTC. */
@Schema(name = "Period")
public record PeriodView(@Schema(required = true) Instant start, @Schema(required = true) Instant end) {

    public static PeriodView of(Period period) {
        return period == null ? null : new PeriodView(period.start(), period.end());
    }
}
