package dev.nanofleet.messaging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka side of one service from start-up to shutdown, the same for every service: creates missing topics (the
 * contract's and the group's dead-letter topic), runs the outbox relay and one supervised consumer, reports their
 * health and publishes their metrics. A service supplies its configuration, its handler and its topics, and closes it
 * on shutdown.
 *
 * <p>
 * Metrics (Prometheus names): {@code nanofleet_messaging_dead_lettered_total{group}},
 * {@code nanofleet_messaging_consumer_restarts_total{group}}, {@code nanofleet_messaging_consumer_up{group}},
 * {@code nanofleet_outbox_parked_total{service}}, {@code nanofleet_outbox_parked_rows{service}}, and the Kafka
 * consumer's own (lag: {@code kafka_consumer_fetch_manager_records_lag_max}).
 */
public final class ServiceMessaging implements AutoCloseable {

    /**
     * @param serviceName names the producer's client id and the consumer thread
     * @param consumerGroup the Kafka consumer group; its dead-letter topic is {@code nanofleet.dlq.<group>.v1}
     * @param topics what the consumer subscribes to
     */
    public record Settings(String bootstrapServers, String serviceName, int topicPartitions,
            short topicReplicationFactor, Duration outboxPollInterval, String consumerGroup, List<String> topics,
            ConsumerSettings consumer) {

        public Settings {
            topics = List.copyOf(topics);
            Objects.requireNonNull(consumer);
        }
    }

    private final Producer<String, byte[]> producer;
    private final OutboxRelay relay;
    private final EventConsumer consumer;
    private final AtomicReference<KafkaClientMetrics> consumerMetrics;

    private ServiceMessaging(Producer<String, byte[]> producer, OutboxRelay relay, EventConsumer consumer,
            AtomicReference<KafkaClientMetrics> consumerMetrics) {
        this.producer = producer;
        this.relay = relay;
        this.consumer = consumer;
        this.consumerMetrics = consumerMetrics;
    }

    public static ServiceMessaging start(DataSource dataSource, Settings settings, EventHandler handler,
            MeterRegistry registry) {
        String deadLetterTopic = DeadLetters.topicFor(settings.consumerGroup());
        KafkaClients.ensureTopics(settings.bootstrapServers(), settings.topicPartitions(),
                settings.topicReplicationFactor());
        KafkaClients.ensureTopics(settings.bootstrapServers(), List.of(deadLetterTopic), settings.topicPartitions(),
                settings.topicReplicationFactor());
        Producer<String, byte[]> producer = KafkaClients.producer(settings.bootstrapServers(),
                settings.serviceName() + "-outbox");
        OutboxRelay relay = new OutboxRelay(dataSource, producer, settings.outboxPollInterval());
        DeadLetters deadLetters = new DeadLetters(producer, settings.consumerGroup());
        AtomicReference<KafkaClientMetrics> consumerMetrics = new AtomicReference<>();
        EventConsumer consumer = new EventConsumer(settings.serviceName(), () -> {
            Consumer<String, byte[]> kafka = KafkaClients.consumer(settings.bootstrapServers(),
                    settings.consumerGroup(), settings.consumer().maxPollInterval());
            // a replaced consumer's meters go with it, or the registry would keep reporting the dead one
            KafkaClientMetrics metrics = new KafkaClientMetrics(kafka);
            metrics.bindTo(registry);
            closeQuietly(consumerMetrics.getAndSet(metrics));
            return kafka;
        }, settings.topics(), handler, deadLetters, settings.consumer());
        bindMetrics(registry, settings, relay, deadLetters, consumer);
        relay.start();
        consumer.start();
        return new ServiceMessaging(producer, relay, consumer, consumerMetrics);
    }

    private static void bindMetrics(MeterRegistry registry, Settings settings, OutboxRelay relay,
            DeadLetters deadLetters, EventConsumer consumer) {
        Tags group = Tags.of("group", settings.consumerGroup());
        Tags service = Tags.of("service", settings.serviceName());
        FunctionCounter.builder("nanofleet.messaging.dead.lettered", deadLetters, DeadLetters::sent)
                .description("Records set aside on the consumer group's dead-letter topic").tags(group)
                .register(registry);
        FunctionCounter
                .builder("nanofleet.messaging.consumer.restarts", consumer, c -> c.health().restarts())
                .description("Kafka consumers that failed and were replaced").tags(group).register(registry);
        Gauge.builder("nanofleet.messaging.consumer.up", consumer, c -> c.health().up() ? 1 : 0)
                .description("1 while the consumer polls and makes progress").tags(group).register(registry);
        FunctionCounter.builder("nanofleet.outbox.parked", relay, OutboxRelay::parked)
                .description("Outbox rows Kafka would not take, set aside in outbox_parked").tags(service)
                .register(registry);
        Gauge.builder("nanofleet.outbox.parked.rows", relay, OutboxRelay::parkedRows)
                .description("Rows waiting in outbox_parked for an operator").tags(service).register(registry);
    }

    /** See {@link EventConsumer#caughtUpAt()}. */
    public Instant caughtUpAt() {
        return consumer.caughtUpAt();
    }

    /** Lets the relay publish now instead of at its next poll. */
    public void wakeRelay() {
        relay.wake();
    }

    /** The consumer's state for a readiness check: down while it is replaced or makes no progress. */
    public ConsumerHealth health() {
        return consumer.health();
    }

    /** Stops consuming first, then publishing, so nothing consumed is left half-announced. */
    @Override
    public void close() {
        consumer.close();
        relay.close();
        producer.close(Duration.ofSeconds(5));
        closeQuietly(consumerMetrics.getAndSet(null));
    }

    private static void closeQuietly(KafkaClientMetrics metrics) {
        if (metrics != null) {
            metrics.close();
        }
    }
}
