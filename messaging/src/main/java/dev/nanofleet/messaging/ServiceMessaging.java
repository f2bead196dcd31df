package dev.nanofleet.messaging;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka side of one service from start-up to shutdown: creates missing topics, runs the outbox relay and one
 * consumer. Each service wires it to its own configuration and closes it on shutdown.
 */
public final class ServiceMessaging implements AutoCloseable {

    /**
     * @param serviceName names the producer's client id and the consumer thread
     * @param consumerGroup the Kafka consumer group, also the name under which processed events are remembered
     */
    public record Settings(String bootstrapServers, String serviceName, int topicPartitions,
            short topicReplicationFactor, Duration outboxPollInterval, String consumerGroup, List<String> topics) {
    }

    private final Producer<String, byte[]> producer;
    private final OutboxRelay relay;
    private final EventConsumer consumer;

    private ServiceMessaging(Producer<String, byte[]> producer, OutboxRelay relay, EventConsumer consumer) {
        this.producer = producer;
        this.relay = relay;
        this.consumer = consumer;
    }

    public static ServiceMessaging start(DataSource dataSource, Settings settings, EventHandler handler) {
        return start(dataSource, settings, handler, kafkaConsumer -> {
        });
    }

    /**
     * @param onConsumerCreated sees the Kafka consumer before it subscribes, e.g. to bind its metrics (consumer lag);
     *        it must not poll or close it
     */
    public static ServiceMessaging start(DataSource dataSource, Settings settings, EventHandler handler,
            java.util.function.Consumer<Consumer<String, byte[]>> onConsumerCreated) {
        KafkaClients.ensureTopics(settings.bootstrapServers(), settings.topicPartitions(),
                settings.topicReplicationFactor());
        Producer<String, byte[]> producer = KafkaClients.producer(settings.bootstrapServers(),
                settings.serviceName() + "-outbox");
        OutboxRelay relay = new OutboxRelay(dataSource, producer, settings.outboxPollInterval());
        relay.start();
        Consumer<String, byte[]> kafkaConsumer = KafkaClients.consumer(settings.bootstrapServers(),
                settings.consumerGroup());
        onConsumerCreated.accept(kafkaConsumer);
        EventConsumer consumer = new EventConsumer(settings.serviceName(), kafkaConsumer, settings.topics(), handler);
        consumer.start();
        return new ServiceMessaging(producer, relay, consumer);
    }

    /** Lets the relay publish now instead of at its next poll. */
    public void wakeRelay() {
        relay.wake();
    }

    /** Stops consuming first, then publishing, so nothing consumed is left half-announced. */
    @Override
    public void close() {
        consumer.close();
        relay.close();
        producer.close(Duration.ofSeconds(5));
    }
}
