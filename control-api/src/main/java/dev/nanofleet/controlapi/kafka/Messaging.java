package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.ProcessedEvents;
import dev.nanofleet.messaging.ServiceMessaging;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
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
    private volatile ServiceMessaging running;

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
        running = ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(bootstrapServers, "control-api", kafka.topicPartitions(),
                        kafka.topicReplicationFactor(), config.outbox().pollInterval(), kafka.consumerGroup(),
                        List.of(Topics.INSTANCES)),
                instanceEvents::handle);
        LOG.infof("messaging started bootstrap=%s group=%s", bootstrapServers, kafka.consumerGroup());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
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
        ServiceMessaging current = running;
        if (current != null) {
            current.wakeRelay();
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
