package dev.nanofleet.scheduler.service;

import dev.nanofleet.testsupport.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A Kafka broker for one test class alone. For tests that put records on the fixed topics which other tests' consumer
 * groups, reading from the earliest offset of the JVM's shared broker, must not see (a poison event, nodes that exist
 * only for this test).
 */
public class OwnKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.startEphemeral();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(), "nanofleet.kafka.bootstrap-servers",
                broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
