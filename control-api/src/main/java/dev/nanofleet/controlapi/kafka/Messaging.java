package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.OutboxRelay;
import dev.nanofleet.messaging.ProcessedEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Owns the Kafka side of the service: creates missing topics, runs the outbox relay and the consumer of instance
 * events from start-up to shutdown.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);

    private final AgroalDataSource dataSource;
    private final ControlApiConfig config;
    private final String bootstrapServers;
    private final InstanceEventHandler instanceEvents;
    private final TransactionSynchronizationRegistry transactions;
    private volatile Producer<String, byte[]> producer;
    private volatile OutboxRelay relay;
    private volatile EventConsumer consumer;

    Messaging(AgroalDataSource dataSource, ControlApiConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            InstanceEventHandler instanceEvents, TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.instanceEvents = instanceEvents;
    }

    void start(@Observes StartupEvent startup) {
        ControlApiConfig.Kafka kafka = config.kafka();
        KafkaClients.ensureTopics(bootstrapServers, kafka.topicPartitions(), kafka.topicReplicationFactor());
        producer = KafkaClients.producer(bootstrapServers, "control-api-outbox");
        relay = new OutboxRelay(dataSource, producer, config.outbox().pollInterval());
        relay.start();
        consumer = new EventConsumer("control-api-instances",
                KafkaClients.consumer(bootstrapServers, kafka.consumerGroup()), List.of(Topics.INSTANCES),
                instanceEvents::handle);
        consumer.start();
        LOG.infof("messaging started bootstrap=%s group=%s", bootstrapServers, kafka.consumerGroup());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Called by the outbox after each append. Inside a transaction the row is not visible to the relay until commit, so
     * the wake-up waits for the transaction to complete.
     */
    void afterAppend() {
        if (transactions.getTransactionKey() == null) {
            wakeRelay();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                wakeRelay();
            }
        });
    }

    /** Lets the relay publish now instead of at its next poll; harmless before start-up. */
    public void wakeRelay() {
        OutboxRelay current = relay;
        if (current != null) {
            current.wake();
        }
    }

    @Produces
    @Singleton
    Outbox outbox() {
        return new Outbox(dataSource, this::afterAppend);
    }

    @Produces
    @Singleton
    ProcessedEvents processedEvents() {
        return new ProcessedEvents(dataSource, config.kafka().consumerGroup());
    }
}
