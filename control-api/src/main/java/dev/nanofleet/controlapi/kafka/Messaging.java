package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.AfterCommit;
import dev.nanofleet.messaging.BatchEventHandler;
import dev.nanofleet.messaging.ConsumerHealth;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.ProcessedEvents;
import dev.nanofleet.messaging.ServiceMessaging;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the messaging every service shares ({@link ServiceMessaging}: topics, outbox relay, supervised consumer,
 * health, metrics) to control-api's configuration and its handlers (the scheduler's instance events, billing's limit
 * events), from start-up to shutdown.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);
    /** What control-api consumes; a new subscription is one more topic here and a branch in the handler. */
    static final List<String> TOPICS = List.of(Topics.INSTANCES, Topics.BILLING);

    private final AgroalDataSource dataSource;
    private final ControlApiConfig config;
    private final String bootstrapServers;
    private final InstanceEventHandler instanceEvents;
    private final BillingEventHandler billingEvents;
    private final TransactionSynchronizationRegistry transactions;
    private final MeterRegistry registry;
    private volatile ServiceMessaging running;

    Messaging(AgroalDataSource dataSource, ControlApiConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            InstanceEventHandler instanceEvents, BillingEventHandler billingEvents,
            TransactionSynchronizationRegistry transactions, MeterRegistry registry) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.instanceEvents = instanceEvents;
        this.billingEvents = billingEvents;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) {
        ControlApiConfig.Kafka kafka = config.kafka();
        running = ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(bootstrapServers, "control-api", kafka.topicPartitions(),
                        kafka.topicReplicationFactor(), config.outbox().pollInterval(), kafka.consumerGroup(), TOPICS,
                        kafka.consumerSettings()),
                new Dispatch(), registry);
        LOG.infof("messaging started bootstrap=%s group=%s topics=%s", bootstrapServers, kafka.consumerGroup(),
                TOPICS);
    }

    /**
     * Each topic's events go to their handler; each handler ignores the types that are not its to apply. A poll's
     * instance events (the scheduler's decisions arrive in bursts, beside the nodes' reports control-api published
     * itself) apply in one transaction, so a burst costs one commit instead of one per event; when that fails the
     * consumer applies them one at a time ({@link BatchEventHandler}). Billing's rare events, whose commit the
     * spend-hold timer measures, keep a transaction each.
     */
    private final class Dispatch implements BatchEventHandler {

        @Override
        public void handle(Event<?> event) {
            if (Topics.BILLING.equals(event.topic())) {
                billingEvents.handle(event);
            } else {
                instanceEvents.handle(event);
            }
        }

        @Override
        public void handleAll(List<Delivery> deliveries) {
            Map<Boolean, List<Event<?>>> billing = deliveries.stream().<Event<?>>map(Delivery::event)
                    .collect(Collectors.partitioningBy(event -> Topics.BILLING.equals(event.topic())));
            List<Event<?>> instances = billing.get(false);
            if (!instances.isEmpty()) {
                QuarkusTransaction.requiringNew().run(() -> instances.forEach(instanceEvents::handle));
            }
            // after the batch committed: applying one again when a later part fails changes nothing (by event id)
            billing.get(true).forEach(billingEvents::handle);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
    }

    /** Lets the relay publish now instead of at its next poll; harmless before start-up. */
    public void wakeRelay() {
        ServiceMessaging current = running;
        if (current != null) {
            current.wakeRelay();
        }
    }

    /** The consumer's health; empty before start-up. */
    Optional<ConsumerHealth> health() {
        return Optional.ofNullable(running).map(ServiceMessaging::health);
    }

    @Produces
    @Singleton
    Outbox outbox() {
        return new Outbox(dataSource, AfterCommit.wake(transactions, this::wakeRelay));
    }

    @Produces
    @Singleton
    ProcessedEvents processedEvents() {
        return new ProcessedEvents(dataSource, config.kafka().consumerGroup());
    }
}
