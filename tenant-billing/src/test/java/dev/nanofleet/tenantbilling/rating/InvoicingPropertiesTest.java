package dev.nanofleet.tenantbilling.rating;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of metering, rating and invoicing over random histories of a small fleet (see {@link History}): minute
 * periods with ten seconds of grace, a price change inside the histories, a free grant.
 */
class InvoicingPropertiesTest {

    private static final BillingPeriods MINUTES = new FixedPeriods(Duration.ofMinutes(1));
    private static final PriceList PRICES = new PriceList("EUR", List.of(
            PriceListTest.version("v1", History.BASE.minusSeconds(3600)),
            new PriceVersion("v2", History.BASE.plusSeconds(400).plusMillis(500), Map.of(
                    Isolation.SHARED, new Rates(new BigDecimal("0.0000137"), new BigDecimal("0.0000021")),
                    Isolation.HARDWARE, new Rates(new BigDecimal("0.0000199"), new BigDecimal("0.00000333"))))));
    private static final Invoicing INVOICING = new Invoicing(MINUTES, Duration.ofSeconds(10), PRICES,
            new FreeGrant(new BigDecimal("40"), new BigDecimal("20")));

    @Provide
    Arbitrary<History> histories() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 80),
                Arbitraries.integers().between(1, 5)).as(History::generate);
    }

    /** Every period from the first fact's to the last fact's and on until a cutoff comes after every publication. */
    private static List<Period> periods(History history) {
        Instant lastPublished = history.events().stream()
                .map(MeterEvent::publishedAt)
                .max(Instant::compareTo)
                .orElseThrow();
        List<Period> periods = new ArrayList<>();
        for (Period p = MINUTES.containing(history.firstAt()); !p.start().isAfter(history.lastAt())
                || !INVOICING.cutoff(MINUTES.previous(p)).isAfter(lastPublished); p = MINUTES.next(p)) {
            periods.add(p);
        }
        return periods;
    }

    private static BigDecimal amount(List<LineItem> lines, Predicate<LineItem> which) {
        return lines.stream().filter(which).map(LineItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static List<MeterEvent> publishedBy(List<MeterEvent> events, Instant cutoff) {
        return events.stream().filter(e -> !e.publishedAt().isAfter(cutoff)).toList();
    }

    private static BigDecimal rated(List<MeterEvent> events, String tenant, Period period) {
        List<BilledInterval> intervals = Metering.intervals(events).stream()
                .filter(interval -> interval.tenant().equals(tenant))
                .toList();
        return amount(Rating.usage(intervals, period, PRICES), line -> true);
    }

    @Property(tries = 200)
    void the_lines_sum_to_the_total_and_the_amount_due_is_the_total_rounded(@ForAll("histories") History history) {
        for (Period period : periods(history)) {
            for (String tenant : History.TENANTS) {
                Invoice invoice = INVOICING.compose(tenant, period, history.events());
                assertThat(amount(invoice.lines(), line -> true)).isEqualTo(invoice.total());
                assertThat(invoice.amountDue()).isEqualTo(invoice.total().setScale(2, RoundingMode.HALF_EVEN));
            }
        }
    }

    @Property(tries = 200)
    void any_permutation_duplication_or_partitioning_of_the_events_yields_the_same_invoice(
            @ForAll("histories") History history, @ForAll @IntRange(min = 1, max = 6) int chunks) {
        Random random = new Random(history.seed());
        List<MeterEvent> shuffled = new ArrayList<>(history.events());
        Collections.shuffle(shuffled, random);
        // cut into chunks fed as one union, some chunks twice, some single events again
        List<MeterEvent> union = new ArrayList<>();
        int size = (shuffled.size() + chunks - 1) / chunks;
        for (int from = 0; from < shuffled.size(); from += size) {
            List<MeterEvent> chunk = shuffled.subList(from, Math.min(shuffled.size(), from + size));
            union.addAll(chunk);
            if (random.nextBoolean()) {
                union.addAll(chunk);
            }
        }
        for (int i = 0; i < 3; i++) {
            union.add(shuffled.get(random.nextInt(shuffled.size())));
        }
        Collections.shuffle(union, random);

        for (Period period : periods(history)) {
            for (String tenant : History.TENANTS) {
                assertThat(INVOICING.compose(tenant, period, union))
                        .isEqualTo(INVOICING.compose(tenant, period, history.events()));
            }
        }
        assertThat(Metering.intervals(union)).isEqualTo(Metering.intervals(history.events()));
    }

    @Property(tries = 300)
    void a_window_split_in_two_bills_the_same_quantities_and_amounts_as_the_whole(
            @ForAll("histories") History history, @ForAll @IntRange(min = 1, max = 900) int length,
            @ForAll @IntRange(min = 0, max = 1000) int cut) {
        List<BilledInterval> intervals = Metering.intervals(history.events());
        Instant start = History.BASE.plusSeconds(length % 200);
        Instant end = start.plusSeconds(length + 1);
        Instant middle = start.plusSeconds(1 + (long) cut * (length - 1) / 1000);
        Map<List<Object>, BigDecimal[]> whole = totals(Rating.usage(intervals, new Period(start, end), PRICES));
        Map<List<Object>, BigDecimal[]> halves = totals(Rating.usage(intervals, new Period(start, middle), PRICES));
        totals(Rating.usage(intervals, new Period(middle, end), PRICES)).forEach((key, sums) -> halves.merge(key,
                sums, (a, b) -> new BigDecimal[]{a[0].add(b[0]), a[1].add(b[1])}));

        assertThat(halves.keySet()).isEqualTo(whole.keySet());
        whole.forEach((key, sums) -> {
            assertThat(halves.get(key)[0]).as("quantity of %s", key).isEqualByComparingTo(sums[0]);
            assertThat(halves.get(key)[1]).as("amount of %s", key).isEqualByComparingTo(sums[1]);
        });
    }

    private static Map<List<Object>, BigDecimal[]> totals(List<LineItem> lines) {
        Map<List<Object>, BigDecimal[]> totals = new HashMap<>();
        for (LineItem line : lines) {
            totals.merge(List.of(String.valueOf(line.deploymentId()), line.isolation(), line.resource(),
                    line.priceVersion()), new BigDecimal[]{line.quantity(), line.amount()},
                    (a, b) -> new BigDecimal[]{a[0].add(b[0]), a[1].add(b[1])});
        }
        return totals;
    }

    @Property(tries = 300)
    void no_instance_is_billed_for_a_second_it_did_not_run(@ForAll("histories") History history) {
        List<Period> periods = periods(history);
        Instant horizon = periods.get(periods.size() - 1).end();
        Map<UUID, long[]> metered = new HashMap<>();
        for (BilledInterval interval : Metering.intervals(history.events())) {
            long seconds = Rating.billedSeconds(interval.start(),
                    interval.end() == null || interval.end().isAfter(horizon) ? horizon : interval.end());
            long[] units = metered.computeIfAbsent(interval.instanceId(), id -> new long[2]);
            units[0] += interval.resources().cpuMillis() * seconds;
            units[1] += interval.resources().memoryMiB() * seconds;
        }
        // what all invoices billed (usage and adjustments), per deployment: one instance each
        Map<UUID, BigDecimal[]> invoiced = new HashMap<>();
        for (Period period : periods) {
            for (String tenant : History.TENANTS) {
                for (LineItem line : INVOICING.compose(tenant, period, history.events()).lines()) {
                    if (line.kind() != LineItem.Kind.FREE_GRANT) {
                        invoiced.computeIfAbsent(line.deploymentId(),
                                d -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO})[line.resource()
                                        .ordinal()] = invoiced.get(line.deploymentId())[line.resource().ordinal()]
                                                .add(line.quantity());
                    }
                }
            }
        }
        for (History.Instance instance : history.instances()) {
            long[] truth = instance.units(horizon);
            long[] billed = metered.getOrDefault(instance.id(), new long[2]);
            assertThat(billed[0]).as("milli-vCPU-seconds metered for %s", instance.id())
                    .isLessThanOrEqualTo(truth[0]);
            assertThat(billed[1]).as("MiB-seconds metered for %s", instance.id()).isLessThanOrEqualTo(truth[1]);
            // the simulation follows the same rules, so once every fact is known nothing is missed either
            assertThat(billed).as("metered for %s", instance.id()).isEqualTo(truth);
            BigDecimal[] onInvoices = invoiced.getOrDefault(instance.deployment(),
                    new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
            assertThat(onInvoices[0]).isEqualByComparingTo(BigDecimal.valueOf(truth[0], 3));
            assertThat(onInvoices[1].multiply(BigDecimal.valueOf(1024))).isEqualByComparingTo(
                    BigDecimal.valueOf(truth[1]));
        }
    }

    @Property(tries = 300)
    void late_facts_within_the_grace_are_invoiced_with_their_period_and_later_ones_adjusted_on_the_next_invoices(
            @ForAll("histories") History history) {
        List<Period> periods = periods(history);
        for (String tenant : History.TENANTS) {
            Map<Period, Invoice> invoices = new HashMap<>();
            for (Period period : periods) {
                invoices.put(period, INVOICING.compose(tenant, period, history.events()));
            }
            for (int i = 0; i < periods.size(); i++) {
                Period period = periods.get(i);
                Predicate<LineItem> usage = line -> line.kind() == LineItem.Kind.USAGE;
                Predicate<LineItem> correctsIt = line -> line.kind() == LineItem.Kind.ADJUSTMENT
                        && line.from().equals(period.start());
                BigDecimal known = rated(publishedBy(history.events(), INVOICING.cutoff(period)), tenant, period);
                assertThat(amount(invoices.get(period).lines(), usage)).as("usage of %s", period)
                        .isEqualByComparingTo(known);
                BigDecimal adjusted = BigDecimal.ZERO;
                for (int j = i + 1; j < periods.size(); j++) {
                    Period later = periods.get(j);
                    BigDecimal step = amount(invoices.get(later).lines(), correctsIt);
                    BigDecimal learnt = rated(publishedBy(history.events(), INVOICING.cutoff(later)), tenant, period)
                            .subtract(rated(publishedBy(history.events(), INVOICING.cutoff(MINUTES.previous(later))),
                                    tenant, period));
                    assertThat(step).as("adjustment of %s on %s", period, later).isEqualByComparingTo(learnt);
                    adjusted = adjusted.add(step);
                }
                assertThat(known.add(adjusted)).as("all invoices together bill %s as all facts say", period)
                        .isEqualByComparingTo(rated(history.events(), tenant, period));
            }
        }
    }
}
