package dev.nanofleet.tenantbilling.bench;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.BilledInterval;
import dev.nanofleet.tenantbilling.rating.BillingPeriods;
import dev.nanofleet.tenantbilling.rating.CalendarMonths;
import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.rating.Metering;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.PriceVersion;
import dev.nanofleet.tenantbilling.rating.Rates;
import dev.nanofleet.tenantbilling.rating.Rating;
import dev.nanofleet.testsupport.PostgresServer;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Throughput of the pure rating core on a generated quarter of a fleet's life, single-threaded:
 * {@code ./fleet bench billing [events]}. Not a test; it never runs in {@code verify}.
 * <p>
 * One million meter facts (seeded, so every run rates the same history): 10,000 instances of 500 tenants on 200
 * nodes over three calendar months, each living through placements, image pulls, starts, crashes with restart
 * back-offs, resizes, moves and stops; 1,000 node losses, each followed by the node coming back; 1 in 100 facts
 * published up to three days late (so invoices carry adjustments). Measured: (a) metering, the facts per second
 * through {@link Metering#intervals} and {@link Rating#usage} for every month, after a warm-up run; (b) replay, the
 * seconds to compose every tenant's invoice for every month from all the facts, as a restarted service would; (c) the
 * heap used after a GC with the facts still held. The last line is
 * {@code billing events_per_second=X replay_seconds=Y heap_mb=Z}.
 */
public final class BillingBench {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = Duration.ofDays(90).toSeconds();
    private static final int TENANTS = 500;
    private static final int INSTANCES = 10_000;
    private static final int NODES = 200;
    private static final int NODE_LOSSES = 1_000;

    private BillingBench() {
    }

    public static void main(String[] args) {
        int target = args.length == 0 ? 1_000_000 : Integer.parseInt(args[0]);
        long started = System.nanoTime();
        List<MeterEvent> events = generate(target, 42);
        System.out.printf(Locale.ROOT, "generated %d facts in %.1f s%n", events.size(),
                (System.nanoTime() - started) / 1e9);

        PriceList prices = prices();
        BillingPeriods months = new CalendarMonths();
        List<Period> periods = new ArrayList<>();
        for (Period p = months.containing(START); p.start().isBefore(START.plusSeconds(SPAN_SECONDS)); p = months
                .next(p)) {
            periods.add(p);
        }

        meter(events, periods, prices); // warm-up: the JIT compiles the hot path before anything is measured
        long meterStart = System.nanoTime();
        int lines = meter(events, periods, prices);
        double meterSeconds = (System.nanoTime() - meterStart) / 1e9;
        long perSecond = Math.round(events.size() / meterSeconds);
        System.out.printf(Locale.ROOT, "metering %d facts into %d usage lines over %d months in %.2f s%n",
                events.size(), lines, periods.size(), meterSeconds);

        Invoicing invoicing = new Invoicing(months, Duration.ofDays(2), prices,
                new FreeGrant(new BigDecimal("360000"), new BigDecimal("720000")));
        long replayStart = System.nanoTime();
        Replay replay = replay(invoicing, events, periods);
        double replaySeconds = (System.nanoTime() - replayStart) / 1e9;
        System.out.printf(Locale.ROOT, "replay %d invoices (%d lines, %d adjustments) totalling %s %s in %.2f s%n",
                replay.invoices, replay.lines, replay.adjustments, replay.total.toPlainString(), prices.currency(),
                replaySeconds);

        long ingestPerSecond = ingest(events);

        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heapMiB = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        Reference.reachabilityFence(events);
        System.out.printf(Locale.ROOT,
                "billing events_per_second=%d replay_seconds=%.2f heap_mb=%d ingest_events_per_second=%d%n", perSecond,
                replaySeconds, heapMiB, ingestPerSecond);
    }

    /**
     * (d): the facts into PostgreSQL the way the service's consumer records a poll ({@link MeterStore#recordAll}:
     * batches of 500, Kafka's default poll size, one transaction each) on the embedded server tests use.
     */
    private static long ingest(List<MeterEvent> events) {
        PostgresServer postgres = PostgresServer.shared();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.createDatabase("billing_bench_" + ProcessHandle.current().pid()));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/messaging")
                .cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/messaging")
                .outOfOrder(true).load().migrate();
        MeterStore store = new MeterStore(dataSource);
        long started = System.nanoTime();
        int recorded = 0;
        for (int from = 0; from < events.size(); from += 500) {
            recorded += store.recordAll(events.subList(from, Math.min(events.size(), from + 500)), List.of(),
                    List.of());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "ingest %d facts (%d new) into PostgreSQL in %.1f s%n", events.size(),
                recorded, seconds);
        return Math.round(events.size() / seconds);
    }

    /** (a): every fact metered, every month rated; the number of lines, so nothing is optimised away. */
    private static int meter(List<MeterEvent> events, List<Period> periods, PriceList prices) {
        long started = System.nanoTime();
        List<BilledInterval> intervals = Metering.intervals(events);
        long metered = System.nanoTime();
        int lines = 0;
        for (Period period : periods) {
            lines += Rating.usage(intervals, period, prices).size();
        }
        System.out.printf(Locale.ROOT, "  %d intervals metered in %.2f s, rated in %.2f s%n", intervals.size(),
                (metered - started) / 1e9, (System.nanoTime() - metered) / 1e9);
        return lines;
    }

    record Replay(int invoices, long lines, long adjustments, BigDecimal total) {
    }

    /** (b): each tenant's facts with every node fact, composed for every month. */
    private static Replay replay(Invoicing invoicing, List<MeterEvent> events, List<Period> periods) {
        Map<String, List<MeterEvent>> byTenant = new HashMap<>();
        List<MeterEvent> nodeFacts = new ArrayList<>();
        for (MeterEvent event : events) {
            if (event.isNodeFact()) {
                nodeFacts.add(event);
            } else {
                byTenant.computeIfAbsent(event.tenant(), t -> new ArrayList<>()).add(event);
            }
        }
        int invoices = 0;
        long lines = 0;
        long adjustments = 0;
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, List<MeterEvent>> tenant : byTenant.entrySet()) {
            List<MeterEvent> facts = new ArrayList<>(tenant.getValue().size() + nodeFacts.size());
            facts.addAll(tenant.getValue());
            facts.addAll(nodeFacts);
            for (Period period : periods) {
                Invoice invoice = invoicing.compose(tenant.getKey(), period, facts);
                invoices++;
                lines += invoice.lines().size();
                adjustments += invoice.lines().stream().filter(l -> l.kind() == LineItem.Kind.ADJUSTMENT).count();
                total = total.add(invoice.amountDue());
            }
        }
        return new Replay(invoices, lines, adjustments, total);
    }

    private static PriceList prices() {
        Map<Isolation, Rates> v1 = Map.of(Isolation.SHARED, new Rates(new BigDecimal("0.000012"),
                new BigDecimal("0.0000015")), Isolation.HARDWARE,
                new Rates(new BigDecimal("0.000018"),
                        new BigDecimal("0.0000022")));
        Map<Isolation, Rates> v2 = Map.of(Isolation.SHARED, new Rates(new BigDecimal("0.0000115"),
                new BigDecimal("0.0000014")), Isolation.HARDWARE,
                new Rates(new BigDecimal("0.0000175"),
                        new BigDecimal("0.0000021")));
        // a price change in the middle of February splits that month's lines
        return new PriceList("EUR", List.of(new PriceVersion("2025-12", Instant.parse("2025-12-01T00:00:00Z"), v1),
                new PriceVersion("2026-02b", Instant.parse("2026-02-15T12:00:00Z"), v2)));
    }

    /** About {@code target} facts: node losses and returns, then each instance's life until its share is used. */
    static List<MeterEvent> generate(int target, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MeterEvent> events = new ArrayList<>(target + 1_000);
        long[] ids = {0};
        for (int i = 0; i < NODE_LOSSES; i++) {
            String node = node(random.nextInt(NODES));
            Instant heartbeat = START.plusSeconds(random.nextLong(SPAN_SECONDS)).plusMillis(random.nextInt(1000));
            Instant noticed = heartbeat.plusSeconds(40);
            events.add(fact(ids, MeterEvent.Kind.NODE_LOST, heartbeat, published(random, noticed), null, null, null,
                    node, null, null, null));
            Instant back = noticed.plusSeconds(60 + random.nextInt(3600));
            events.add(fact(ids, MeterEvent.Kind.NODE_READY, back, published(random, back), null, null, null, node,
                    null, null, null));
        }
        String[] tenants = new String[TENANTS];
        for (int t = 0; t < TENANTS; t++) {
            tenants[t] = "tenant-" + t;
        }
        int share = Math.max(4 * INSTANCES, target - events.size());
        long meanGap = SPAN_SECONDS / (share / INSTANCES);
        for (int i = 0; i < INSTANCES; i++) {
            int perInstance = share / INSTANCES + (i < share % INSTANCES ? 1 : 0);
            String tenant = tenants[i % TENANTS];
            UUID deployment = new UUID(seed, i / 2); // two replicas per deployment
            UUID instance = new UUID(~seed, i);
            Isolation isolation = random.nextInt(10) < 7 ? Isolation.SHARED : Isolation.HARDWARE;
            Resources resources = resources(random);
            Instant t = START.plusSeconds(random.nextLong(meanGap * 2));
            String node = null;
            InstanceState state = InstanceState.PENDING;
            for (int n = 0; n < perInstance; n++) {
                t = t.plusSeconds(1 + random.nextLong(meanGap * 2)).plusMillis(random.nextInt(1000));
                int roll = random.nextInt(100);
                if (node == null || state.isTerminal() && roll < 60 || roll < 3) {
                    node = node(random.nextInt(NODES)); // placed, or moved
                    events.add(fact(ids, MeterEvent.Kind.PLACED, t, published(random, t), tenant, deployment,
                            instance, node, null, isolation, null));
                    state = InstanceState.SCHEDULED;
                    continue;
                }
                if (roll < 4) {
                    events.add(fact(ids, MeterEvent.Kind.UNSCHEDULABLE, t, published(random, t), tenant, deployment,
                            instance, null, null, null, null));
                    node = null;
                    state = InstanceState.UNSCHEDULABLE;
                    continue;
                }
                if (roll < 8) {
                    resources = resources(random);
                }
                state = next(state, random);
                events.add(fact(ids, MeterEvent.Kind.STATE, t, published(random, t), tenant, deployment, instance,
                        node, state, isolation, resources));
            }
        }
        Collections.shuffle(events, new Random(seed));
        return events;
    }

    private static InstanceState next(InstanceState state, SplittableRandom random) {
        int roll = random.nextInt(100);
        return switch (state) {
            case SCHEDULED, PENDING, UNSCHEDULABLE -> InstanceState.PULLING;
            case PULLING -> roll < 95 ? InstanceState.STARTING : InstanceState.FAILED;
            case STARTING, RESTARTING -> InstanceState.RUNNING;
            case RUNNING -> roll < 70
                    ? InstanceState.RUNNING // a v2 report of the same state (e.g. after a resize)
                    : roll < 85
                            ? InstanceState.RESTARTING
                            : roll < 95
                                    ? InstanceState.STOPPING
                                    : InstanceState.EXITED;
            case STOPPING -> InstanceState.STOPPED;
            case STOPPED, EXITED, FAILED -> InstanceState.STARTING;
        };
    }

    private static Instant published(SplittableRandom random, Instant occurred) {
        return random.nextInt(100) == 0
                ? occurred.plusSeconds(random.nextLong(3 * 86_400))
                : occurred.plusMillis(5 + random.nextInt(500));
    }

    private static MeterEvent fact(long[] ids, MeterEvent.Kind kind, Instant occurred, Instant published,
            String tenant, UUID deployment, UUID instance, String node, InstanceState state, Isolation isolation,
            Resources resources) {
        return new MeterEvent(new UUID(0x0b111, ids[0]++), kind, occurred, published, tenant, deployment, instance,
                node, state, isolation, resources);
    }

    private static final String[] NODE_NAMES = new String[NODES];

    static {
        for (int i = 0; i < NODES; i++) {
            NODE_NAMES[i] = "node-" + i;
        }
    }

    private static String node(int index) {
        return NODE_NAMES[index];
    }

    private static final Resources[] SIZES = {new Resources(250, 256), new Resources(500, 512),
            new Resources(1000, 1024), new Resources(2000, 4096), new Resources(100, 128)};

    private static Resources resources(SplittableRandom random) {
        return SIZES[random.nextInt(SIZES.length)];
    }
}
