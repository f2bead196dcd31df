package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Prices billed intervals. Pure and stateless.
 * <p>
 * <b>The seconds rule.</b> An instance is billed for each whole second of the UTC clock at whose start it was running:
 * an interval [start, end) bills the number of integer epoch-seconds t with start &lt;= t &lt; end. The count is
 * additive under any split (cutting [a, c) at b bills [a, b) plus [b, c) exactly as much), so a period cut in two by a
 * price change, or two periods, bill the same seconds as the whole, and no second is billed twice.
 * <p>
 * <b>Quantities.</b> vCPU-seconds = cpuMillis &times; seconds / 1000 and GiB-seconds = memoryMiB &times; seconds / 1024,
 * both exact decimals (a division by 1000 or 1024 always terminates: scales 3 and 10). A line's amount is quantity
 * &times; unit price, exact; nothing here is ever rounded and no floating point is used.
 */
public final class Rating {

    /** 1/1024 exactly: MiB to GiB. */
    private static final BigDecimal PER_MIB = new BigDecimal("0.0009765625");

    private Rating() {
    }

    /**
     * The number of whole UTC seconds t with {@code start <= t < end} (zero when end is not after start); see the
     * class's seconds rule.
     */
    public static long billedSeconds(Instant start, Instant end) {
        long seconds = ceilSeconds(end) - ceilSeconds(start);
        return Math.max(0, seconds);
    }

    /** The quantity of {@code resource} that {@code resources} reserve over {@code seconds}, exact. */
    public static BigDecimal quantity(Resource resource, Resources resources, long seconds) {
        return quantity(resource, units(resource, resources, seconds));
    }

    /** What one second of {@code resources} in {@code isolation} costs under {@code version}, exact. */
    public static BigDecimal perSecond(Resources resources, Isolation isolation, PriceVersion version) {
        Rates rates = version.rates(isolation);
        return quantity(Resource.VCPU, resources, 1).multiply(rates.perVcpuSecond())
                .add(quantity(Resource.MEMORY, resources, 1).multiply(rates.perGibSecond()));
    }

    /**
     * USAGE lines for the part of {@code intervals} inside {@code window}: each interval is clipped to the window (an
     * open interval runs to the window's end) and cut where the price version changes; quantities are summed per
     * deployment, isolation, resource, price version and segment (the window, or a price version's part of it). Lines
     * of zero quantity are left out.
     *
     * @return in the order of {@link #lineOrder(PriceList)}
     */
    public static List<LineItem> usage(Collection<BilledInterval> intervals, Period window, PriceList prices) {
        List<PriceList.Segment> segments = prices.segments(window);
        Map<Key, long[]> sums = new HashMap<>();
        for (BilledInterval interval : intervals) {
            accumulate(interval, window, segments, null, 1, sums);
        }
        List<LineItem> lines = lines(LineItem.Kind.USAGE, sums);
        lines.sort(lineOrder(prices));
        return lines;
    }

    /**
     * ADJUSTMENT lines: for every period before {@code until}, what rating it with {@code now} gives minus what rating
     * it with {@code before} gave, per deployment, isolation, resource and price version; nonzero differences only,
     * each spanning the corrected period.
     */
    static List<LineItem> corrections(Collection<BilledInterval> now, Collection<BilledInterval> before,
            BillingPeriods periods, Instant until, PriceList prices) {
        Map<Period, List<PriceList.Segment>> segments = new HashMap<>();
        Map<Key, long[]> sums = new HashMap<>();
        correct(now, 1, periods, until, prices, segments, sums);
        correct(before, -1, periods, until, prices, segments, sums);
        List<LineItem> lines = lines(LineItem.Kind.ADJUSTMENT, sums);
        lines.sort(lineOrder(prices));
        return lines;
    }

    /**
     * The order of an invoice's lines within one kind: deployment (none first), isolation, resource, price version (in
     * the price list's time order), then span.
     */
    public static Comparator<LineItem> lineOrder(PriceList prices) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < prices.versions().size(); i++) {
            position.put(prices.versions().get(i).id(), i);
        }
        return Comparator.comparing(LineItem::deploymentId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(LineItem::isolation)
                .thenComparing(LineItem::resource)
                .thenComparingInt(line -> position.getOrDefault(line.priceVersion(), Integer.MAX_VALUE))
                .thenComparing(LineItem::priceVersion)
                .thenComparing(LineItem::from, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(LineItem::to, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    private static void correct(Collection<BilledInterval> intervals, int sign, BillingPeriods periods, Instant until,
            PriceList prices, Map<Period, List<PriceList.Segment>> segments, Map<Key, long[]> sums) {
        for (BilledInterval interval : intervals) {
            Instant end = interval.end() == null || interval.end().isAfter(until) ? until : interval.end();
            if (!interval.start().isBefore(end)) {
                continue;
            }
            for (Period q = periods.containing(interval.start()); q.start().isBefore(end); q = periods.next(q)) {
                accumulate(interval, q, segments.computeIfAbsent(q, prices::segments), q, sign, sums);
            }
        }
    }

    /**
     * Adds {@code sign} times what {@code interval} bills inside {@code window} to the sums, per price segment; a key
     * spans its segment, or {@code keySpan} for every segment when one is given.
     */
    private static void accumulate(BilledInterval interval, Period window, List<PriceList.Segment> segments,
            Period keySpan, int sign, Map<Key, long[]> sums) {
        Instant start = max(interval.start(), window.start());
        Instant end = interval.end() == null ? window.end() : min(interval.end(), window.end());
        if (!start.isBefore(end)) {
            return;
        }
        for (PriceList.Segment segment : segments) {
            Instant from = max(start, segment.span().start());
            Instant to = min(end, segment.span().end());
            long seconds = billedSeconds(from, to);
            if (seconds == 0) {
                continue;
            }
            Period span = keySpan == null ? segment.span() : keySpan;
            long[] sum = sums.computeIfAbsent(
                    new Key(interval.deploymentId(), interval.isolation(), segment.version(), span.start(), span.end()),
                    k -> new long[2]);
            sum[0] = Math.addExact(sum[0], sign * units(Resource.VCPU, interval.resources(), seconds));
            sum[1] = Math.addExact(sum[1], sign * units(Resource.MEMORY, interval.resources(), seconds));
        }
    }

    private static List<LineItem> lines(LineItem.Kind kind, Map<Key, long[]> sums) {
        List<LineItem> lines = new ArrayList<>(sums.size() * 2);
        for (Map.Entry<Key, long[]> entry : sums.entrySet()) {
            Key key = entry.getKey();
            Rates rates = key.version().rates(key.isolation());
            for (Resource resource : Resource.values()) {
                long units = entry.getValue()[resource.ordinal()];
                if (units == 0) {
                    continue;
                }
                BigDecimal quantity = quantity(resource, units);
                BigDecimal unitPrice = rates.of(resource);
                lines.add(new LineItem(kind, key.deployment(), key.isolation(), resource, key.version().id(),
                        key.from(), key.to(), quantity, unitPrice, quantity.multiply(unitPrice)));
            }
        }
        return lines;
    }

    /** Milli-vCPU-seconds or MiB-seconds: whole numbers, so sums and differences stay exact and cheap. */
    private static long units(Resource resource, Resources resources, long seconds) {
        long per = resource == Resource.VCPU ? resources.cpuMillis() : resources.memoryMiB();
        return Math.multiplyExact(per, seconds);
    }

    private static BigDecimal quantity(Resource resource, long units) {
        return resource == Resource.VCPU
                ? BigDecimal.valueOf(units, 3)
                : BigDecimal.valueOf(units).multiply(PER_MIB);
    }

    private static long ceilSeconds(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private record Key(UUID deployment, Isolation isolation, PriceVersion version, Instant from, Instant to) {
    }
}
