package dev.nanofleet.scheduler.service;

import dev.nanofleet.scheduler.core.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Wires the framework-free core and the clock into CDI. */
@ApplicationScoped
class Infrastructure {

    /** The consumer name the processed-event ids are recorded under. */
    static final String CONSUMER = "scheduler";

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    Scheduler scheduler(SchedulerConfig config) {
        return new Scheduler(config.policy());
    }
}
