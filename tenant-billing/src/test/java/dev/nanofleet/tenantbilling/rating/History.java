package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A random history of a small fleet, simulated step by step in the order things happened (never sorted, never
 * deduplicated), with the meter facts it emits and what truly ran: the spans during which each instance was billable
 * by the rules. Times strictly increase, so the truth needs no tie-break. Facts are published late at random: most
 * within two seconds, some a minute and a half, a few over six minutes after they occurred.
 */
record History(List<MeterEvent> events, List<Instance> instances, Instant firstAt, Instant lastAt, long seed) {

    static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
    static final List<String> TENANTS = List.of("t0", "t1");
    static final List<String> NODES = List.of("n0", "n1", "n2");
    private static final InstanceState[] STATES = InstanceState.values();

    /** One instance (its own deployment) and its true billable spans; the last may be open (end null). */
    record Instance(String tenant, UUID deployment, UUID id, List<BilledInterval> truth) {

        /** What truly ran up to {@code horizon}, in milli-vCPU-seconds and MiB-seconds. */
        long[] units(Instant horizon) {
            long[] units = new long[2];
            for (BilledInterval span : truth) {
                Instant end = span.end() == null || span.end().isAfter(horizon) ? horizon : span.end();
                long seconds = Rating.billedSeconds(span.start(), end);
                units[0] += span.resources().cpuMillis() * seconds;
                units[1] += span.resources().memoryMiB() * seconds;
            }
            return units;
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("History[seed=" + seed + ", events=" + events.size() + "]");
        if (events.size() <= 12) { // a shrunk history reads as its facts
            for (MeterEvent e : events) {
                text.append("\n  ").append(e.occurredAt()).append(" ").append(e.kind()).append(" ")
                        .append(e.instanceId() == null ? "" : e.instanceId().getLeastSignificantBits()).append(" ")
                        .append(e.node()).append(" ").append(e.state()).append(" ").append(e.resources());
            }
        }
        return text.toString();
    }

    static History generate(long seed, int steps, int instanceCount) {
        Random random = new Random(seed);
        List<MeterEvent> events = new ArrayList<>();
        List<Sim> sims = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++) {
            boolean v1 = random.nextInt(10) == 0;
            sims.add(new Sim(TENANTS.get(random.nextInt(TENANTS.size())), new UUID(seed, 2L * i),
                    new UUID(seed, 2L * i + 1), Isolation.values()[random.nextInt(2)],
                    v1 ? null : resources(random)));
        }
        Instant t = BASE.plusSeconds(random.nextInt(120)).plusMillis(random.nextInt(1000));
        Instant first = t;
        long ids = 0;
        for (int step = 0; step < steps; step++) {
            t = t.plusSeconds(random.nextInt(40)).plusMillis(1 + random.nextInt(999));
            Instant published = t.plusMillis(delayMillis(random));
            UUID id = new UUID(~seed, ids++);
            int action = random.nextInt(20);
            if (action < 2) {
                String node = NODES.get(random.nextInt(NODES.size()));
                boolean lost = action == 0;
                events.add(new MeterEvent(id, lost ? MeterEvent.Kind.NODE_LOST : MeterEvent.Kind.NODE_READY, t,
                        published, null, null, null, node, null, null, null));
                for (Sim sim : sims) {
                    if (node.equals(sim.node)) {
                        sim.nodeLost = lost;
                    }
                }
            } else {
                Sim sim = sims.get(random.nextInt(sims.size()));
                if (action < 5) {
                    String node = NODES.get(random.nextInt(NODES.size()));
                    events.add(new MeterEvent(id, MeterEvent.Kind.PLACED, t, published, sim.tenant, sim.deployment,
                            sim.id, node, null, sim.isolation, null));
                    if (!node.equals(sim.node)) {
                        sim.node = node;
                        sim.nodeLost = false;
                        sim.state = InstanceState.SCHEDULED;
                    }
                } else if (action < 6) {
                    events.add(new MeterEvent(id, MeterEvent.Kind.UNSCHEDULABLE, t, published, sim.tenant,
                            sim.deployment, sim.id, null, null, null, null));
                    sim.node = null;
                    sim.nodeLost = false;
                    sim.state = InstanceState.UNSCHEDULABLE;
                } else {
                    // mostly on its node; sometimes a node it was not known to be on (it moved)
                    String node = sim.node == null || random.nextInt(8) == 0
                            ? NODES.get(random.nextInt(NODES.size()))
                            : sim.node;
                    InstanceState state = random.nextInt(3) == 0
                            ? InstanceState.RUNNING
                            : STATES[random.nextInt(STATES.length)];
                    if (sim.resources != null && random.nextInt(6) == 0) {
                        sim.resources = resources(random);
                    }
                    events.add(new MeterEvent(id, MeterEvent.Kind.STATE, t, published, sim.tenant, sim.deployment,
                            sim.id, node, state, sim.resources == null ? null : sim.isolation, sim.resources));
                    if (!node.equals(sim.node)) {
                        sim.node = node;
                        sim.nodeLost = false;
                    }
                    sim.state = state;
                }
            }
            for (Sim sim : sims) {
                sim.observe(t);
            }
        }
        List<Instance> instances = new ArrayList<>();
        for (Sim sim : sims) {
            sim.observe(null);
            instances.add(new Instance(sim.tenant, sim.deployment, sim.id, List.copyOf(sim.truth)));
        }
        return new History(List.copyOf(events), List.copyOf(instances), first, t, seed);
    }

    private static Resources resources(Random random) {
        return new Resources(50 * (1 + random.nextInt(40)), 64 * (1 + random.nextInt(32)));
    }

    private static long delayMillis(Random random) {
        int kind = random.nextInt(10);
        if (kind < 7) {
            return random.nextInt(2000);
        }
        return kind < 9 ? random.nextInt(90_000) : random.nextInt(400_000);
    }

    /** The simulated truth of one instance. */
    private static final class Sim {
        final String tenant;
        final UUID deployment;
        final UUID id;
        final Isolation isolation;
        Resources resources;
        String node;
        boolean nodeLost;
        InstanceState state;
        final List<BilledInterval> truth = new ArrayList<>();
        Instant openAt;
        Resources openResources;
        String openNode;

        Sim(String tenant, UUID deployment, UUID id, Isolation isolation, Resources resources) {
            this.tenant = tenant;
            this.deployment = deployment;
            this.id = id;
            this.isolation = isolation;
            this.resources = resources;
        }

        /** After a step at {@code t} (or at the end, null): opens or closes the true span. */
        void observe(Instant t) {
            boolean running = t != null && node != null && !nodeLost && resources != null
                    && (state == InstanceState.STARTING || state == InstanceState.RUNNING
                            || state == InstanceState.STOPPING);
            if (openAt != null && (t == null || !running || !node.equals(openNode)
                    || !resources.equals(openResources))) {
                if (t != null) {
                    truth.add(new BilledInterval(tenant, deployment, id, openNode, isolation, openResources, openAt,
                            t));
                    openAt = null;
                } else {
                    truth.add(new BilledInterval(tenant, deployment, id, openNode, isolation, openResources, openAt,
                            null));
                    return;
                }
            }
            if (running && openAt == null) {
                openAt = t;
                openNode = node;
                openResources = resources;
            }
        }
    }
}
