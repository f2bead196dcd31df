package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.messaging.ConsumerHealth;
import dev.nanofleet.messaging.DeadLetters;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.KafkaClients;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The event log's consumer: the messaging module's supervised {@link EventConsumer} (bounded retries, dead letters on
 * {@code nanofleet.dlq.<group>.v1}, replaced when it dies, health) in a consumer group of its own, feeding
 * {@link EventLogIngest}. It is not a second {@code ServiceMessaging}: control-api has one outbox relay (in
 * {@code kafka.Messaging}), and this needs only the consuming half.
 *
 * <p>
 * One thread reads every partition of the log's topics and stores each event in its own transaction, so sequence
 * numbers are drawn in commit order here; across replicas (each with some of the partitions) the store's advisory lock
 * keeps them so.
 */
@ApplicationScoped
public class EventLogConsumer {

    private static final Logger LOG = Logger.getLogger(EventLogConsumer.class);

    private final EventLogConfig config;
    private final ControlApiConfig controlApi;
    private final String bootstrapServers;
    private final EventLogIngest ingest;
    private final MeterRegistry registry;
    private volatile EventConsumer consumer;
    private volatile Producer<String, byte[]> deadLetterProducer;

    EventLogConsumer(EventLogConfig config, ControlApiConfig controlApi,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, EventLogIngest ingest,
            MeterRegistry registry) {
        this.config = config;
        this.controlApi = controlApi;
        this.bootstrapServers = bootstrapServers;
        this.ingest = ingest;
        this.registry = registry;
    }

    // after kafka.Messaging (default priority), which creates the contract's topics
    void start(@Observes @Priority(3000) StartupEvent startup) {
        ControlApiConfig.Kafka kafka = controlApi.kafka();
        String group = config.consumerGroup();
        KafkaClients.ensureTopics(bootstrapServers, LoggedTypes.TOPICS, kafka.topicPartitions(),
                kafka.topicReplicationFactor());
        KafkaClients.ensureTopics(bootstrapServers, List.of(DeadLetters.topicFor(group)), kafka.topicPartitions(),
                kafka.topicReplicationFactor());
        deadLetterProducer = KafkaClients.producer(bootstrapServers, "control-api-eventlog-dlq");
        DeadLetters deadLetters = new DeadLetters(deadLetterProducer, group);
        consumer = new EventConsumer("control-api-eventlog",
                () -> KafkaClients.consumer(bootstrapServers, group, kafka.maxPollInterval()), LoggedTypes.TOPICS,
                ingest::handle, deadLetters, kafka.consumerSettings());
        Tags tags = Tags.of("group", group);
        FunctionCounter.builder("nanofleet.messaging.dead.lettered", deadLetters, DeadLetters::sent)
                .description("Records set aside on the consumer group's dead-letter topic").tags(tags)
                .register(registry);
        Gauge.builder("nanofleet.messaging.consumer.up", consumer, c -> c.health().up() ? 1 : 0)
                .description("1 while the consumer polls and makes progress").tags(tags).register(registry);
        consumer.start();
        LOG.infof("event log consumer started group=%s topics=%s retention=%s", group, LoggedTypes.TOPICS,
                config.retention());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
        if (deadLetterProducer != null) {
            deadLetterProducer.close(Duration.ofSeconds(5));
        }
    }

    /** The consumer's health; empty before start-up. */
    Optional<ConsumerHealth> health() {
        return Optional.ofNullable(consumer).map(EventConsumer::health);
    }
}
