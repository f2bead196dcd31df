package dev.nanofleet.tenantbilling.operator;

import dev.nanofleet.tenantbilling.invoice.InvoiceStore;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.BilledInterval;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.rating.Metering;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.Rating;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revenue as the meter rates it: the exact price of every tenant's reserved usage in [from, to) (up to now), before
 * free grants, by isolation mode, tenant and UTC day; and what is not invoiced yet (usage since the last final
 * period). Rated from the facts rather than read from invoices, so days and the current period show too.
 */
@ApplicationScoped
public class RevenueService implements Revenue {

    private final MeterStore meter;
    private final InvoiceStore invoices;
    private final PriceList prices;
    private final Clock clock;

    RevenueService(MeterStore meter, InvoiceStore invoices, PriceList prices, Clock clock) {
        this.meter = meter;
        this.invoices = invoices;
        this.prices = prices;
        this.clock = clock;
    }

    @Override
    public Summary summary(Instant from, Instant to) {
        Instant now = clock.instant();
        Map<String, BigDecimal> byIsolation = new TreeMap<>();
        Map<String, BigDecimal> byTenant = new TreeMap<>();
        Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal unbilled = BigDecimal.ZERO;
        Instant unbilledFrom = invoices.lastFinalizedPeriod().map(Period::end).orElse(Instant.EPOCH);
        for (String tenant : meter.tenantsKnownBy(now)) {
            List<BilledInterval> intervals = intervals(tenant, now);
            for (Period day : window(from, to, now)) {
                for (LineItem line : Rating.usage(intervals, day, prices)) {
                    byIsolation.merge(line.isolation().name().toLowerCase(Locale.ROOT), line.amount(),
                            BigDecimal::add);
                    byTenant.merge(tenant, line.amount(), BigDecimal::add);
                    byDay.merge(LocalDate.ofInstant(day.start(), ZoneOffset.UTC), line.amount(), BigDecimal::add);
                    total = total.add(line.amount());
                }
            }
            if (unbilledFrom.isBefore(now)) {
                for (LineItem line : Rating.usage(intervals, new Period(unbilledFrom, seconds(now)), prices)) {
                    unbilled = unbilled.add(line.amount());
                }
            }
        }
        return new Summary(from, to, prices.currency(), total,
                byIsolation.entrySet().stream().map(e -> new ByIsolation(e.getKey(), e.getValue())).toList(),
                largestFirst(byTenant), byDay.entrySet().stream().map(e -> new ByDay(e.getKey(), e.getValue()))
                        .toList(),
                unbilled, now);
    }

    @Override
    public List<ByTenant> topTenants(Instant from, Instant to, int limit) {
        return summary(from, to).byTenant().stream().limit(limit).toList();
    }

    private List<BilledInterval> intervals(String tenant, Instant now) {
        List<MeterEvent> known = meter.factsOf(tenant).stream().filter(f -> !f.publishedAt().isAfter(now)).toList();
        return Metering.intervals(known).stream().filter(i -> i.tenant().equals(tenant)).toList();
    }

    /** [from, to) cut at UTC days and at now; empty when nothing of it has passed. */
    private List<Period> window(Instant from, Instant to, Instant now) {
        Instant end = seconds(to.isBefore(now) ? to : now);
        Instant start = seconds(from);
        if (!end.isAfter(start)) {
            return List.of();
        }
        return new Period(start, end).utcDays();
    }

    private static Instant seconds(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static List<ByTenant> largestFirst(Map<String, BigDecimal> byTenant) {
        return byTenant.entrySet().stream().map(e -> new ByTenant(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(ByTenant::amount).reversed().thenComparing(ByTenant::tenant)).toList();
    }
}
