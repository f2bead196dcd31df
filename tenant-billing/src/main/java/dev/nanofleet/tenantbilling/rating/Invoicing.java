package dev.nanofleet.tenantbilling.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Composes a tenant's invoices and current spend from meter facts. Pure and thread-safe (immutable).
 * <p>
 * <b>What an invoice knows.</b> The invoice of period p knows exactly the facts published (received by Kafka) by its
 * cutoff, p's end plus the grace: {@code known(p)}. Facts published later are not lost: the next invoice corrects the
 * earlier periods with ADJUSTMENT lines. So composing the same events again reproduces an invoice exactly, in whatever
 * order or how many times they arrive, and over all invoices every period is billed what all its facts say.
 * <p>
 * <b>Rounding.</b> Lines and the total are exact; the amount due is the total rounded half-even to two decimals (the
 * currency's minor unit), the one rounding anywhere in billing.
 */
public final class Invoicing {

    private final BillingPeriods periods;
    private final Duration grace;
    private final PriceList prices;
    private final FreeGrant grant;

    /**
     * @param grace how long after a period's end facts still count towards its invoice; zero or positive
     */
    public Invoicing(BillingPeriods periods, Duration grace, PriceList prices, FreeGrant grant) {
        this.periods = Objects.requireNonNull(periods, "periods");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.grant = Objects.requireNonNull(grant, "grant");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace is not negative: " + grace);
        }
    }

    public BillingPeriods periods() {
        return periods;
    }

    /** When the invoice of {@code period} stops learning facts: its end plus the grace. */
    public Instant cutoff(Period period) {
        return period.end().plus(grace);
    }

    /**
     * The invoice of {@code tenant} for {@code period}: USAGE lines for what the period's known facts say, ADJUSTMENT
     * lines for what facts learnt since the previous cutoff change about earlier periods, then the free grant's credit
     * (per resource, covering the period's usage quantity, most expensive unit price first).
     *
     * @param events the tenant's facts and all node facts, published at any time (later ones are ignored);
     *            other tenants' instance facts are ignored; duplicates and any order are fine
     */
    public Invoice compose(String tenant, Period period, Collection<MeterEvent> events) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(period, "period");
        Instant cutoff = cutoff(period);
        Instant previousCutoff = cutoff(periods.previous(period));
        List<MeterEvent> known = new ArrayList<>();
        for (MeterEvent event : Metering.deduplicate(events)) {
            if (!event.publishedAt().isAfter(cutoff) && (event.isNodeFact() || tenant.equals(event.tenant()))) {
                known.add(event);
            }
        }
        List<LineItem> lines = new ArrayList<>(Rating.usage(Metering.intervals(known), period, prices));
        List<LineItem> credits = freeGrant(lines);
        lines.addAll(adjustments(known, period, previousCutoff));
        lines.addAll(credits);
        BigDecimal total = sum(lines);
        return new Invoice(tenant, period, prices.currency(), lines, total, total.setScale(2, RoundingMode.HALF_EVEN));
    }

    /**
     * What {@code tenant} has spent in the period holding {@code now}, from the facts published by {@code now}; what
     * still runs is counted up to {@code now}.
     *
     * @param events as for {@link #compose}
     */
    public Spend spend(String tenant, Collection<MeterEvent> events, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(now, "now");
        Period period = periods.containing(now);
        List<MeterEvent> known = new ArrayList<>();
        for (MeterEvent event : events) {
            if (!event.publishedAt().isAfter(now) && (event.isNodeFact() || tenant.equals(event.tenant()))) {
                known.add(event);
            }
        }
        List<BilledInterval> intervals = Metering.intervals(known);
        BigDecimal usage = BigDecimal.ZERO;
        if (now.isAfter(period.start())) {
            List<LineItem> lines = Rating.usage(intervals, new Period(period.start(), now), prices);
            usage = sum(lines).add(sum(freeGrant(lines)));
        }
        PriceVersion version = prices.at(now);
        BigDecimal perSecond = BigDecimal.ZERO;
        for (BilledInterval interval : intervals) {
            if (!interval.start().isAfter(now) && (interval.end() == null || interval.end().isAfter(now))) {
                perSecond = perSecond.add(Rating.perSecond(interval.resources(), interval.isolation(), version));
            }
        }
        long secondsLeft = Rating.billedSeconds(now, period.end());
        return new Spend(period, usage, perSecond, usage.add(perSecond.multiply(BigDecimal.valueOf(secondsLeft))));
    }

    /**
     * Corrections of the periods before {@code period}: only instances with a fact published since the previous cutoff
     * that happened before the period (or on a node whose liveness fact did) can bill earlier periods differently, so
     * only they are metered again, with and without the facts learnt since.
     */
    private List<LineItem> adjustments(List<MeterEvent> known, Period period, Instant previousCutoff) {
        Set<UUID> instances = new HashSet<>();
        Set<String> nodes = new HashSet<>();
        for (MeterEvent event : known) {
            if (event.publishedAt().isAfter(previousCutoff) && event.occurredAt().isBefore(period.start())) {
                if (event.isNodeFact()) {
                    nodes.add(event.node());
                } else if (event.instanceId() != null) {
                    instances.add(event.instanceId());
                }
            }
        }
        if (instances.isEmpty() && nodes.isEmpty()) {
            return List.of();
        }
        if (!nodes.isEmpty()) {
            for (MeterEvent event : known) {
                if (!event.isNodeFact() && event.instanceId() != null && nodes.contains(event.node())) {
                    instances.add(event.instanceId());
                }
            }
        }
        Set<String> visited = new HashSet<>();
        for (MeterEvent event : known) {
            if (!event.isNodeFact() && instances.contains(event.instanceId()) && event.node() != null) {
                visited.add(event.node());
            }
        }
        List<MeterEvent> now = new ArrayList<>();
        List<MeterEvent> before = new ArrayList<>();
        for (MeterEvent event : known) {
            boolean relevant = event.isNodeFact()
                    ? visited.contains(event.node())
                    : instances.contains(event.instanceId());
            if (relevant) {
                now.add(event);
                if (!event.publishedAt().isAfter(previousCutoff)) {
                    before.add(event);
                }
            }
        }
        return Rating.corrections(Metering.intervals(now), Metering.intervals(before), periods, period.start(),
                prices);
    }

    /** The free grant's credit lines for a period's usage lines, in the usage lines' order. */
    private List<LineItem> freeGrant(List<LineItem> usage) {
        List<LineItem> credits = new ArrayList<>();
        for (Resource resource : Resource.values()) {
            BigDecimal left = grant.of(resource);
            if (left.signum() == 0) {
                continue;
            }
            // most expensive first; the sort is stable, so equal prices keep the lines' order
            List<LineItem> candidates = usage.stream()
                    .filter(line -> line.resource() == resource && line.quantity().signum() > 0)
                    .sorted(Comparator.comparing(LineItem::unitPrice).reversed())
                    .toList();
            for (LineItem line : candidates) {
                if (left.signum() <= 0) {
                    break;
                }
                BigDecimal covered = line.quantity().min(left);
                left = left.subtract(covered);
                credits.add(new LineItem(LineItem.Kind.FREE_GRANT, line.deploymentId(), line.isolation(), resource,
                        line.priceVersion(), line.from(), line.to(), covered.negate(), line.unitPrice(),
                        covered.multiply(line.unitPrice()).negate()));
            }
        }
        credits.sort(Rating.lineOrder(prices));
        return credits;
    }

    private static BigDecimal sum(List<LineItem> lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (LineItem line : lines) {
            total = total.add(line.amount());
        }
        return total;
    }
}
