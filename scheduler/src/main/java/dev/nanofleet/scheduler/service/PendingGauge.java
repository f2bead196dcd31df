package dev.nanofleet.scheduler.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Publishes {@code nanofleet_scheduler_pending}: replicas waiting for a node, the scheduler's own queue. */
@ApplicationScoped
class PendingGauge {

    private final FleetView fleet;
    private final MeterRegistry registry;

    PendingGauge(FleetView fleet, MeterRegistry registry) {
        this.fleet = fleet;
        this.registry = registry;
    }

    void register(@Observes StartupEvent startup) {
        Gauge.builder("nanofleet.scheduler.pending", fleet, FleetView::pendingCount)
                .description("Replicas waiting for a node (placed as soon as capacity appears)")
                .register(registry);
    }
}
