package dev.nanofleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The JVM's shared Kafka broker. Returns {@code kafka.bootstrap.servers} and
 * {@code nanofleet.kafka.bootstrap-servers}. Topics are auto-created (3 partitions); use unique
 * topic or group names per test if tests must not see each other's records.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrap, "nanofleet.kafka.bootstrap-servers", bootstrap);
    }

    @Override
    public void stop() {
        // the broker is shared by the JVM and stopped on exit
    }
}
