package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.messaging.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the Kafka side once the database is migrated: topics, the outbox relay, then the consumer of deployment and
 * node events. Stops them in reverse order.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);

    @Inject
    SchedulerConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    SchedulerEventHandler handler;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    java.util.Optional<String> bootstrapServers;

    private volatile Producer<String, byte[]> producer;
    private volatile OutboxRelay relay;
    private volatile EventConsumer consumer;
    private volatile KafkaClientMetrics consumerMetrics;

    @Inject
    MeterRegistry registry;

    void start(@Observes StartupEvent startup) {
        SchedulerConfig.Messaging messaging = config.messaging();
        if (!messaging.enabled()) {
            LOG.warn("messaging disabled (nanofleet.scheduler.messaging.enabled=false): no events are consumed");
            return;
        }
        String bootstrap = bootstrapServers.orElseThrow(() -> new IllegalStateException(
                "kafka.bootstrap.servers (env KAFKA_BOOTSTRAP_SERVERS) is required when messaging is enabled"));
        KafkaClients.ensureTopics(bootstrap, messaging.topicPartitions(), messaging.topicReplicationFactor());
        producer = KafkaClients.producer(bootstrap, "scheduler-outbox");
        relay = new OutboxRelay(dataSource, producer, messaging.outboxPollInterval());
        relay.start();
        Consumer<String, byte[]> kafka = KafkaClients.consumer(bootstrap, messaging.consumerGroup());
        // consumer lag (kafka_consumer_fetch_manager_records_lag_max and friends): the queue not read yet
        consumerMetrics = new KafkaClientMetrics(kafka);
        consumerMetrics.bindTo(registry);
        consumer = new EventConsumer("scheduler", kafka, List.of(Topics.DEPLOYMENTS, Topics.NODES), handler);
        consumer.start();
        LOG.infof("scheduler consuming topics=%s group=%s bootstrap=%s vmOverheadMib=%d tieBreak=%s",
                List.of(Topics.DEPLOYMENTS, Topics.NODES), messaging.consumerGroup(), bootstrap,
                config.vmOverheadMib(), config.tieBreak());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    void wakeRelay() {
        OutboxRelay current = relay;
        if (current != null) {
            current.wake();
        }
    }

    /** Whether the relay and consumer were started (or messaging is disabled on purpose). */
    boolean started() {
        return !config.messaging().enabled() || consumer != null;
    }
}
