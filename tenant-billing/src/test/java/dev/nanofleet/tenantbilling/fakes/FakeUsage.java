package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.usage.Forecast;
import dev.nanofleet.tenantbilling.usage.Usage;
import dev.nanofleet.tenantbilling.usage.UsageReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Each tenant's usage rows in memory; a tenant sees only its own rows, and an empty report when it has none. */
@Alternative
@ApplicationScoped
public class FakeUsage implements Usage {

    public static final Period PERIOD = Fixtures.FEBRUARY;
    public static final Instant AS_OF = Instant.parse("2026-02-10T12:00:00Z");

    private final Map<String, List<UsageReport.Row>> rows = new ConcurrentHashMap<>();

    public void ran(String tenant, UUID deployment, String name, Isolation isolation, String vcpuSeconds,
            String gibSeconds, String cost) {
        rows.merge(tenant, List.of(new UsageReport.Row(deployment, name, isolation, LocalDate.parse("2026-02-10"),
                new BigDecimal(vcpuSeconds), new BigDecimal(gibSeconds), new BigDecimal("0.5"), new BigDecimal("0.25"),
                new BigDecimal(cost))), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
    }

    public void clear() {
        rows.clear();
    }

    @Override
    public UsageReport report(String tenant) {
        List<UsageReport.Row> mine = rows.getOrDefault(tenant, List.of());
        return new UsageReport(tenant, PERIOD, AS_OF, "EUR", cost(mine), BigDecimal.ZERO, mine);
    }

    @Override
    public Forecast forecast(String tenant) {
        BigDecimal soFar = cost(rows.getOrDefault(tenant, List.of()));
        BigDecimal perHour = new BigDecimal("0.0450000000");
        BigDecimal hoursLeft = BigDecimal.valueOf(java.time.Duration.between(AS_OF, PERIOD.end()).toHours());
        BigDecimal projected = soFar.add(perHour.multiply(hoursLeft));
        return new Forecast(tenant, PERIOD, AS_OF, "EUR", soFar, perHour, projected,
                projected.setScale(2, java.math.RoundingMode.HALF_EVEN));
    }

    private static BigDecimal cost(List<UsageReport.Row> rows) {
        return rows.stream().map(UsageReport.Row::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
