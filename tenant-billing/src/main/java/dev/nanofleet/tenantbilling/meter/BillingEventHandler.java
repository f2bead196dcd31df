package dev.nanofleet.tenantbilling.meter;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.messaging.EventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Records what the meter reads from each event: a fact of an instance or node, a usage sample, a deployment's name.
 * Each record is keyed by the event (or deployment) id, so a redelivered event changes nothing; nothing is computed
 * here, so the order events arrive in does not matter either (the rating core orders facts by when they happened).
 */
@ApplicationScoped
public class BillingEventHandler implements EventHandler {

    private final MeterStore store;
    private final Counter recorded;
    private final Counter repeated;

    BillingEventHandler(MeterStore store, MeterRegistry registry) {
        this.store = store;
        this.recorded = Counter.builder("nanofleet.billing.facts").tag("outcome", "recorded")
                .description("Meter facts read from events").register(registry);
        this.repeated = Counter.builder("nanofleet.billing.facts").tag("outcome", "repeated")
                .description("Meter facts read from events").register(registry);
    }

    /** Without Kafka's timestamp (tests feeding events directly) the event counts as published when it happened. */
    @Override
    public void handle(Event<?> event) {
        handle(event, event.time());
    }

    @Override
    public void handle(Event<?> event, Instant publishedAt) {
        switch (event.data()) {
            case DeploymentCreated created -> store.recordName(created.deploymentId(), created.tenant(),
                    created.name());
            case InstanceUsageSampled sample -> store.recordSample(event.id(), sample);
            default -> MeterFacts.of(event, publishedAt)
                    .ifPresent(fact -> (store.record(fact) ? recorded : repeated).increment());
        }
    }
}
