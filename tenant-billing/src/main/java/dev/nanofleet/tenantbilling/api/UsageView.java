package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.usage.Forecast;
import dev.nanofleet.tenantbilling.usage.UsageReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The current period's usage so far: reserved (billed) beside measured (not billed), per deployment, mode and day. */
@Schema(name = "Usage")
public record UsageView(@Schema(required = true) String tenant, @Schema(required = true) PeriodView period,
        @Schema(required = true) Instant asOf, @Schema(required = true, example = "EUR") String currency,
        @Schema(required = true, description = "exact cost of the reserved usage before the free grant") BigDecimal cost,
        @Schema(required = true, description = "the part of cost the free grant covers") BigDecimal freeGrantCredit,
        @Schema(required = true) List<Row> rows) {

    @Schema(name = "UsageRow")
    public record Row(@Schema(required = true) UUID deploymentId,
            @Schema(required = true, nullable = true, description = "null when the meter never saw the deployment created") String deploymentName,
            @Schema(required = true, enumeration = {
                    "hardware", "shared"}) String isolation,
            @Schema(required = true) LocalDate day,
            @Schema(required = true, description = "billed: requested vCPU times seconds running") BigDecimal reservedVcpuSeconds,
            @Schema(required = true, description = "billed: requested GiB times seconds running") BigDecimal reservedGibSeconds,
            @Schema(required = true, description = "measured CPU time (not billed)") BigDecimal usedVcpuSeconds,
            @Schema(required = true, description = "measured memory over time (not billed)") BigDecimal usedGibSeconds,
            @Schema(required = true, description = "exact price of the reserved quantities") BigDecimal cost){
    }

    public static UsageView of(UsageReport report) {
        return new UsageView(report.tenant(), PeriodView.of(report.period()), report.asOf(), report.currency(),
                report.cost(), report.freeGrantCredit(), report.rows().stream()
                        .map(r -> new Row(r.deploymentId(), r.deploymentName(), ApiNames.of(r.isolation()), r.day(),
                                r.reservedVcpuSeconds(), r.reservedGibSeconds(), r.usedVcpuSeconds(),
                                r.usedGibSeconds(), r.cost()))
                        .toList());
    }

    /** The period's projected total at the current rate. */
    @Schema(name = "Forecast")
    public record ForecastView(@Schema(required = true) String tenant, @Schema(required = true) PeriodView period,
            @Schema(required = true) Instant asOf, @Schema(required = true) String currency,
            @Schema(required = true, description = "exact cost so far, after the free grant") BigDecimal soFar,
            @Schema(required = true, description = "what the running instances cost per hour now") BigDecimal perHour,
            @Schema(required = true, description = "soFar plus the current rate until the period ends") BigDecimal projected,
            @Schema(required = true, description = "projected rounded half-even to cents") BigDecimal amountDueProjected) {

        public static ForecastView of(Forecast f) {
            return new ForecastView(f.tenant(), PeriodView.of(f.period()), f.asOf(), f.currency(), f.soFar(),
                    f.perHour(), f.projected(), f.amountDueProjected());
        }
    }
}
