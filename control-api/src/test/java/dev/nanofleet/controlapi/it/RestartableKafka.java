package dev.nanofleet.controlapi.it;

import dev.nanofleet.testsupport.KafkaBroker;
import dev.nanofleet.testsupport.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A broker of one test class's own, which the test may stop and start again on the same ports with the same data (the
 * JVM's shared broker is not to be stopped under other classes).
 */
public class RestartableKafka implements QuarkusTestResourceLifecycleManager {

    private static Path dir;
    private static int port;
    private static int controllerPort;
    private static KafkaBroker broker;

    @Override
    public synchronized Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("nanofleet-kafka-restartable-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = Ports.free();
        controllerPort = Ports.free();
        broker = KafkaBroker.startDetached(dir, port, controllerPort);
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    static synchronized void stopBroker() {
        broker.close();
    }

    static synchronized void startBroker() {
        broker = KafkaBroker.startDetached(dir, port, controllerPort);
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
