package dev.nanofleet.tenantbilling.usage;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.rating.Period;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's usage in the current period so far: what it reserved (and is billed for) beside what it measurably used.
 *
 * @param asOf the time the report was made; still-running instances count up to it
 * @param cost exact amount for the reserved usage before the free grant
 * @param freeGrantCredit the part of {@code cost} the period's free grant covers (zero or positive)
 * @param rows one per deployment, isolation mode and UTC day with any usage
 */
public record UsageReport(String tenant, Period period, Instant asOf, String currency, BigDecimal cost,
        BigDecimal freeGrantCredit, List<Row> rows) {

    /**
     * @param reservedVcpuSeconds billed: requested vCPU times seconds running
     * @param reservedGibSeconds billed: requested memory times seconds running
     * @param usedVcpuSeconds measured CPU time from the node's samples (not billed)
     * @param usedGibSeconds measured memory over time from the node's samples (not billed)
     * @param cost exact price of the reserved quantities
     */
    public record Row(UUID deploymentId, String deploymentName, Isolation isolation, LocalDate day,
            BigDecimal reservedVcpuSeconds, BigDecimal reservedGibSeconds, BigDecimal usedVcpuSeconds,
            BigDecimal usedGibSeconds, BigDecimal cost) {
    }
}
