package dev.nanofleet.tenantbilling.meter;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.messaging.BatchEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the meter reads from each event: a fact of an instance or node, a usage sample, a deployment's name.
 * Each record is keyed by the event (or deployment) id, so a redelivered event changes nothing; nothing is computed
 * here, so the order events arrive in does not matter either (the rating core orders facts by when they happened).
 */
@ApplicationScoped
public class BillingEventHandler implements BatchEventHandler {

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

    /** One event is a poll of one: the same rows, keyed the same way. */
    @Override
    public void handle(Event<?> event, Instant publishedAt) {
        handleAll(List.of(new Delivery(event, publishedAt)));
    }

    /** A whole poll in one transaction of batched inserts. */
    @Override
    public void handleAll(List<Delivery> deliveries) {
        List<MeterEvent> facts = new ArrayList<>();
        List<MeterStore.SampleEvent> samples = new ArrayList<>();
        List<DeploymentCreated> names = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            Event<?> event = delivery.event();
            switch (event.data()) {
                case DeploymentCreated created -> names.add(created);
                case InstanceUsageSampled sample -> samples.add(new MeterStore.SampleEvent(event.id(), sample));
                default -> MeterFacts.of(event, delivery.publishedAt()).ifPresent(facts::add);
            }
        }
        int fresh = store.recordAll(facts, samples, names);
        recorded.increment(fresh);
        repeated.increment(facts.size() - fresh);
    }
}
