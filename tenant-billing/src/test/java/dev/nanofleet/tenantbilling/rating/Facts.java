package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds meter facts for the examples: times are seconds after {@link #T0}, published when they occur. */
final class Facts {

    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Resources HALF_CORE_256 = new Resources(500, 256);
    static final Rates SHARED_RATES = new Rates(new BigDecimal("0.00001"), new BigDecimal("0.000002"));
    static final Rates HARDWARE_RATES = new Rates(new BigDecimal("0.000015"), new BigDecimal("0.000003"));
    static final PriceVersion V1 = new PriceVersion("v1", T0.minusSeconds(86_400 * 365),
            Map.of(Isolation.SHARED, SHARED_RATES, Isolation.HARDWARE, HARDWARE_RATES));
    static final PriceList PRICES = new PriceList("EUR", List.of(V1));

    private static long next = 1;

    final List<MeterEvent> events = new ArrayList<>();
    final String tenant;
    final UUID deployment = UUID.randomUUID();

    Facts(String tenant) {
        this.tenant = tenant;
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static synchronized UUID id() {
        return new UUID(0x5eed, next++);
    }

    Facts state(UUID instance, long at, String node, InstanceState state) {
        return state(instance, at, node, state, Isolation.SHARED, HALF_CORE_256);
    }

    Facts state(UUID instance, long at, String node, InstanceState state, Isolation isolation, Resources resources) {
        events.add(
                new MeterEvent(id(), MeterEvent.Kind.STATE, at(at), at(at), tenant, deployment, instance, node, state,
                        isolation, resources));
        return this;
    }

    Facts placed(UUID instance, long at, String node) {
        events.add(new MeterEvent(id(), MeterEvent.Kind.PLACED, at(at), at(at), tenant, deployment, instance, node,
                null, Isolation.SHARED, null));
        return this;
    }

    Facts unschedulable(UUID instance, long at) {
        events.add(new MeterEvent(id(), MeterEvent.Kind.UNSCHEDULABLE, at(at), at(at), tenant, deployment, instance,
                null, null, null, null));
        return this;
    }

    Facts nodeLost(String node, long lastHeartbeat, long publishedAt) {
        events.add(new MeterEvent(id(), MeterEvent.Kind.NODE_LOST, at(lastHeartbeat), at(publishedAt), null, null,
                null, node, null, null, null));
        return this;
    }

    Facts nodeReady(String node, long at) {
        events.add(new MeterEvent(id(), MeterEvent.Kind.NODE_READY, at(at), at(at), null, null, null, node, null,
                null, null));
        return this;
    }

    /** The last fact added, published {@code seconds} after it occurred instead. */
    Facts publishedLate(long seconds) {
        MeterEvent e = events.remove(events.size() - 1);
        events.add(new MeterEvent(e.id(), e.kind(), e.occurredAt(), e.occurredAt().plusSeconds(seconds), e.tenant(),
                e.deploymentId(), e.instanceId(), e.node(), e.state(), e.isolation(), e.resources()));
        return this;
    }
}
