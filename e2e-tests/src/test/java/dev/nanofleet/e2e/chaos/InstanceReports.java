package dev.nanofleet.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.e2e.chaos.ChaosModel.InstanceReport;
import dev.nanofleet.testsupport.Await;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the instances topic from its beginning, as an independent observer (no consumer group: it commits nothing and
 * disturbs no service), keeping every placement and every node agent's state report in topic order per partition
 * (events are keyed by deployment, so one instance's events are in order). Survives a broker restart: the client
 * reconnects. {@link #caughtUp} waits until it has read what the topic held when asked.
 */
public final class InstanceReports implements AutoCloseable {

    /** control-api's topic for instance events ({@code dev.nanofleet.events.Topics.INSTANCES}). */
    static final String TOPIC = "nanofleet.instances.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<InstanceReport> reports = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    public InstanceReports(String bootstrap) {
        this.bootstrap = bootstrap;
        this.consumer = new KafkaConsumer<>(config(bootstrap));
        List<TopicPartition> partitions = partitions(consumer);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(p -> positions.put(p, 0L));
        this.poller = Thread.ofPlatform().daemon().name("chaos-instance-reports").start(this::poll);
    }

    private static Properties config(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return config;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        return Await.value(Duration.ofSeconds(60), "topic " + TOPIC + " to exist", () -> {
            var infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
            return infos == null || infos.isEmpty()
                    ? null
                    : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        });
    }

    private void poll() {
        try {
            while (!closed) {
                try {
                    pollOnce();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // the broker is down (killed on purpose): the client reconnects once it is back
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            InstanceReport report = decode(r.value());
            if (report != null) {
                synchronized (reports) {
                    reports.add(report);
                }
            }
        }
        for (TopicPartition p : consumer.assignment()) {
            positions.put(p, consumer.position(p, Duration.ofSeconds(5)));
        }
    }

    /** An instance.placed or instance.state-changed event's facts; null for any other event. */
    static InstanceReport decode(byte[] value) {
        JsonNode event;
        try {
            event = JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
        String type = event.path("type").asText();
        InstanceReport.Kind kind = switch (type) {
            case "instance.placed" -> InstanceReport.Kind.PLACED;
            case "instance.state-changed" -> InstanceReport.Kind.STATE;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        JsonNode data = event.path("data");
        return new InstanceReport(UUID.fromString(data.path("instanceId").asText()),
                UUID.fromString(data.path("deploymentId").asText()), data.path("nodeName").asText(null), kind,
                data.path("state").asText(null), Instant.parse(event.path("time").asText()));
    }

    /** Waits until every partition is read up to where it ended when this was called. */
    public void caughtUp(Duration deadline) {
        Map<TopicPartition, Long> ends = Await.value(deadline, "end offsets of " + TOPIC, () -> {
            try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(config(bootstrap))) {
                return probe.endOffsets(positions.keySet(), Duration.ofSeconds(10));
            }
        });
        Await.until(deadline, "instance reports read to the end of " + TOPIC,
                () -> ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue()));
    }

    /** The reports read so far about instances of these deployments, in the order read. */
    public List<InstanceReport> about(Predicate<UUID> deployment) {
        synchronized (reports) {
            return reports.stream().filter(r -> deployment.test(r.deploymentId())).toList();
        }
    }

    public Set<TopicPartition> partitions() {
        return positions.keySet();
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
