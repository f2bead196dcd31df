package dev.nanofleet.scheduler.service;

import dev.nanofleet.messaging.AfterCommit;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.ProcessedEvents;
import dev.nanofleet.scheduler.core.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import javax.sql.DataSource;

/** Wires the framework-free pieces (core, outbox, processed events) into CDI. */
@ApplicationScoped
class Infrastructure {

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

    @Produces
    @ApplicationScoped
    ProcessedEvents processedEvents(DataSource dataSource) {
        return new ProcessedEvents(dataSource, CONSUMER);
    }

    @Produces
    @ApplicationScoped
    Outbox outbox(DataSource dataSource, TransactionSynchronizationRegistry transactions, Messaging messaging) {
        return new Outbox(dataSource, AfterCommit.wake(transactions, messaging::wakeRelay));
    }
}
