package dev.nanofleet.tenantbilling.usage;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.meter.MeterStore.Sample;
import dev.nanofleet.tenantbilling.rating.BilledInterval;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.Spend;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.rating.Metering;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.Rating;
import dev.nanofleet.tenantbilling.rating.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A tenant's current period from the meter's facts: reserved quantities and their cost per deployment, mode and UTC
 * day (what will be billed), beside what the nodes measured (what was used), and the forecast.
 *
 * <p>
 * Measured use comes from consecutive samples of one instance: CPU is the growth of its cumulative CPU time (a drop means
 * its process restarted, and the new value is the growth), memory is the sampled amount held until the next sample. The
 * first sample of an instance in the period only sets the starting point.
 */
@ApplicationScoped
public class UsageService implements Usage {

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal BYTE_MS_PER_GIB_SECOND = BigDecimal.valueOf(1024L * 1024 * 1024 * 1000);

    private final MeterStore meter;
    private final Invoicing invoicing;
    private final PriceList prices;
    private final Clock clock;

    UsageService(MeterStore meter, Invoicing invoicing, PriceList prices, Clock clock) {
        this.meter = meter;
        this.invoicing = invoicing;
        this.prices = prices;
        this.clock = clock;
    }

    private record RowKey(UUID deploymentId, Isolation isolation, LocalDate day) implements Comparable<RowKey> {
        private static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::day)
                .thenComparing(k -> String.valueOf(k.deploymentId())).thenComparing(RowKey::isolation);

        @Override
        public int compareTo(RowKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** Sums for one row while it is being built. */
    private static final class Sums {
        BigDecimal reservedVcpu = BigDecimal.ZERO;
        BigDecimal reservedGib = BigDecimal.ZERO;
        BigDecimal usedVcpu = BigDecimal.ZERO;
        BigDecimal usedGib = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
    }

    @Override
    public UsageReport report(String tenant) {
        Instant now = clock.instant();
        List<MeterEvent> facts = meter.factsOf(tenant);
        Spend spend = invoicing.spend(tenant, facts, now);
        Period period = spend.period();
        List<BilledInterval> intervals = Metering
                .intervals(facts.stream().filter(f -> !f.publishedAt().isAfter(now)).toList());
        Map<RowKey, Sums> rows = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;
        for (Period day : days(period, now)) {
            LocalDate date = LocalDate.ofInstant(day.start(), ZoneOffset.UTC);
            for (LineItem line : Rating.usage(intervals, day, prices)) {
                Sums sums = rows.computeIfAbsent(new RowKey(line.deploymentId(), line.isolation(), date),
                        k -> new Sums());
                if (line.resource() == Resource.VCPU) {
                    sums.reservedVcpu = sums.reservedVcpu.add(line.quantity());
                } else {
                    sums.reservedGib = sums.reservedGib.add(line.quantity());
                }
                sums.cost = sums.cost.add(line.amount());
                cost = cost.add(line.amount());
            }
        }
        addMeasured(rows, meter.samples(tenant, period.start(), now));
        Map<UUID, String> names = meter
                .names(rows.keySet().stream().map(RowKey::deploymentId).distinct().toList());
        List<UsageReport.Row> out = new ArrayList<>();
        rows.forEach((key, sums) -> out.add(new UsageReport.Row(key.deploymentId(), names.get(key.deploymentId()),
                key.isolation(), key.day(), sums.reservedVcpu, sums.reservedGib, sums.usedVcpu, sums.usedGib,
                sums.cost)));
        BigDecimal credit = cost.subtract(spend.usage()).max(BigDecimal.ZERO);
        return new UsageReport(tenant, period, now, prices.currency(), cost, credit, out);
    }

    @Override
    public Forecast forecast(String tenant) {
        Instant now = clock.instant();
        Spend spend = invoicing.spend(tenant, meter.factsOf(tenant), now);
        return new Forecast(tenant, spend.period(), now, prices.currency(), spend.usage(),
                spend.perSecond().multiply(BigDecimal.valueOf(3600)), spend.forecast(),
                spend.forecast().setScale(2, RoundingMode.HALF_EVEN));
    }

    /** The UTC days of the period up to now (whole seconds), each clipped to the period. */
    private static List<Period> days(Period period, Instant now) {
        Instant end = now.isBefore(period.end()) ? now.truncatedTo(ChronoUnit.SECONDS) : period.end();
        return end.isAfter(period.start()) ? new Period(period.start(), end).utcDays() : List.of();
    }

    private static void addMeasured(Map<RowKey, Sums> rows, List<Sample> samples) {
        Sample previous = null;
        for (Sample sample : samples) {
            if (previous != null && previous.instanceId().equals(sample.instanceId())) {
                long cpu = sample.cpuNanos() >= previous.cpuNanos()
                        ? sample.cpuNanos() - previous.cpuNanos()
                        : sample.cpuNanos();
                long millis = sample.sampledAt().toEpochMilli() - previous.sampledAt().toEpochMilli();
                Sums sums = rows.computeIfAbsent(new RowKey(sample.deploymentId(), sample.isolation(),
                        LocalDate.ofInstant(sample.sampledAt(), ZoneOffset.UTC)), k -> new Sums());
                sums.usedVcpu = sums.usedVcpu.add(BigDecimal.valueOf(cpu).divide(NANOS_PER_SECOND));
                sums.usedGib = sums.usedGib.add(BigDecimal.valueOf(previous.memoryBytes())
                        .multiply(BigDecimal.valueOf(millis))
                        .divide(BYTE_MS_PER_GIB_SECOND, 9, RoundingMode.HALF_EVEN));
            }
            previous = sample;
        }
    }
}
