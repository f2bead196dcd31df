package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.RouteChangingEvents;
import dev.nanofleet.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Watches the deployments, instances and nodes topics and calls {@code onChange} after any event that may change the
 * routes. It joins no consumer group and commits nothing: it reads every partition from its end, since only events
 * after the edge's last full read matter (and the periodic read covers any it misses). On one thread of its own.
 */
final class RouteEvents implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RouteEvents.class);
    private static final List<String> TOPICS = List.of(Topics.DEPLOYMENTS, Topics.INSTANCES, Topics.NODES);

    private final String bootstrapServers;
    private final ObjectMapper json;
    private final Runnable onChange;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    RouteEvents(String bootstrapServers, ObjectMapper json, Runnable onChange) {
        this.bootstrapServers = bootstrapServers;
        this.json = json;
        this.onChange = onChange;
    }

    void start() {
        thread = Thread.ofPlatform().name("edge-route-events").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.CLIENT_ID_CONFIG, "nanofleet-edge",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                List<TopicPartition> partitions = partitions(kafka);
                if (partitions.isEmpty()) {
                    pause(); // no topic yet: the first service to publish makes them
                    continue;
                }
                kafka.assign(partitions);
                kafka.seekToEnd(partitions);
                LOG.infof("following %d partitions of %s", partitions.size(), TOPICS);
                while (running) {
                    boolean changed = false;
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                        changed |= RouteChangingEvents.changesRoutes(type(record.value()));
                    }
                    if (changed) {
                        onChange.run();
                    }
                    if (partitions(kafka).size() != partitions.size()) {
                        break; // a topic appeared or grew: assign again
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("route events: %s; trying again in 2 s (the periodic read goes on)", e.toString());
                pause();
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        return partitions;
    }

    private String type(byte[] value) {
        try {
            return value == null ? null : json.readTree(value).path("type").asText(null);
        } catch (java.io.IOException e) {
            return null; // not an event: nothing to route by
        }
    }

    private void pause() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }
}
