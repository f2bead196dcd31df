package dev.nanofleet.controlapi.startup;

import dev.nanofleet.controlapi.deployment.InstanceEntity.Timeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code nanofleet.instance.start.phase{phase=relay|schedule|deliver|pull|start|report|total}}: how long each phase of
 * instance starts takes ({@link StartPhases}), with p50/p90/p99, so where the time goes is visible on a running
 * platform (Prometheus: {@code nanofleet_instance_start_phase_seconds}).
 */
@ApplicationScoped
public class StartPhaseTimers {

    private final MeterRegistry registry;

    StartPhaseTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records the phases of a start that just reached RUNNING. */
    public void record(Timeline timeline) {
        StartPhases.of(timeline).forEach((phase, took) -> Timer.builder("nanofleet.instance.start.phase")
                .description("phases of instance starts, from the API request to RUNNING stored").tag("phase", phase)
                .publishPercentiles(0.5, 0.9, 0.99).register(registry).record(took));
    }
}
