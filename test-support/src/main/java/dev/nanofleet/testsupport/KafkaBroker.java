package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/**
 * A real single-node Kafka KRaft broker (broker + controller) as a child process, run from the jars
 * under {@code .fleet/tools/kafka-VERSION/lib} with the JVM running this code and {@code -Xmx512m}.
 * Internal topics have replication factor 1, topics are auto-created with 3 partitions.
 */
public final class KafkaBroker implements AutoCloseable {

    /** ~4-9 s on an idle machine; a loaded one was seen to need 94 s. */
    public static final Duration START_DEADLINE = Duration.ofSeconds(180);
    private static KafkaBroker shared;

    private final ManagedProcess process;
    private final Path dir;
    private final int port;
    private final boolean ephemeral;

    private KafkaBroker(ManagedProcess process, Path dir, int port, boolean ephemeral) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.ephemeral = ephemeral;
    }

    /** One ephemeral broker per JVM, started on first use and stopped on JVM exit. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            KafkaBroker[] started = new KafkaBroker[1];
            String port = JvmShared.get("nanofleet.shared.kafka-port", () -> {
                started[0] = startEphemeral();
                return String.valueOf(started[0].port());
            });
            // started by another class loader of this JVM: use it, do not own it
            shared = started[0] != null ? started[0] : new KafkaBroker(null, null, Integer.parseInt(port), false);
        }
        return shared;
    }

    /** A fresh broker on random ports in a temporary directory (deleted when stopped). */
    public static KafkaBroker startEphemeral() {
        try {
            Path dir = Files.createTempDirectory("nanofleet-kafka-");
            return start(dir, Ports.free(), Ports.free(), false, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A broker that survives this JVM, keeping its data in {@code dir} (formatted on first use),
     * listening on {@code port} (clients) and {@code port + 1} (controller). Record {@link #pid()}
     * and stop it later with {@link ManagedProcess#stop(long, Duration)}. The log is
     * {@code dir/kafka.log}.
     */
    public static KafkaBroker startDetached(Path dir, int port) {
        return startDetached(dir, port, port + 1);
    }

    public static KafkaBroker startDetached(Path dir, int port, int controllerPort) {
        return start(dir.toAbsolutePath(), port, controllerPort, true, false);
    }

    private static KafkaBroker start(Path dir, int port, int controllerPort, boolean detached, boolean ephemeral) {
        Path lib = FleetHome.kafkaLib();
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            Path logs = dir.resolve("logs");
            Path props = dir.resolve("server.properties");
            Files.writeString(props, serverProperties(logs, port, controllerPort));
            String java = FleetHome.javaBin().toString();
            String cp = lib + "/*";
            if (!Files.exists(logs.resolve("meta.properties"))) {
                ManagedProcess.run(Duration.ofSeconds(60), dir,
                        List.of(java, "-Xmx256m", "-cp", cp, "kafka.tools.StorageTool", "format",
                                "--ignore-formatted", "--cluster-id=" + clusterId(dir), "-c", props.toString()));
                System.err.printf("[nanofleet] Kafka storage formatted in %d ms%n",
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
            ManagedProcess p = ManagedProcess
                    .builder("kafka", java, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true", "-cp",
                            cp, "kafka.Kafka",
                            props.toString())
                    .directory(dir).log(dir.resolve("kafka.log")).appendLog(!ephemeral).detached(detached).start();
            KafkaBroker broker = new KafkaBroker(p, dir, port, ephemeral);
            try {
                awaitReady(p, broker.bootstrapServers(), START_DEADLINE);
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            if (ephemeral) {
                Runtime.getRuntime().addShutdownHook(new Thread(broker::closeQuietly, "stop-kafka"));
            }
            System.err.printf("[nanofleet] Kafka ready on %s in %d ms (pid %d, log %s)%n", broker.bootstrapServers(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), p.pid(), p.log());
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka in " + dir, e);
        }
    }

    /** Waits until an AdminClient can list the topics of {@code bootstrapServers}. */
    public static void awaitReady(ManagedProcess process, String bootstrapServers, Duration deadline) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            process.await(deadline, "an AdminClient listing topics on " + bootstrapServers, () -> {
                try {
                    admin.listTopics(new ListTopicsOptions().timeoutMs(2000)).names().get(3, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * Waits until consumer group {@code group} has no members: what a test waits for to know the group coordinator
     * evicted a consumer that stayed away from poll past max.poll.interval.ms.
     */
    public static void awaitGroupWithoutMembers(String bootstrapServers, String group, Duration deadline) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Await.until(deadline, "consumer group " + group + " without members",
                    () -> admin.describeConsumerGroups(List.of(group)).all().get(3, TimeUnit.SECONDS).get(group)
                            .members().isEmpty());
        }
    }

    static String serverProperties(Path logs, int port, int controllerPort) {
        return """
                # generated by dev.nanofleet.testsupport.KafkaBroker
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=3
                default.replication.factor=1
                min.insync.replicas=1
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=3
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                log.flush.interval.messages=9223372036854775807
                """.formatted(port, controllerPort, logs.toString());
    }

    /** A cluster id kept in {@code dir/cluster.id} so a reformat (after losing meta.properties) reuses it. */
    private static String clusterId(Path dir) throws IOException {
        Path f = dir.resolve("cluster.id");
        if (Files.exists(f)) {
            return Files.readString(f).trim();
        }
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        // base64url may start with '-'; the id is passed as --cluster-id=ID so the tool never reads it as an option
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        Files.writeString(f, id + "\n");
        return id;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's PID, or -1 if this object does not own the process. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path dir() {
        return dir;
    }

    public ManagedProcess process() {
        return process;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("[nanofleet] could not stop Kafka: " + e);
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.stop();
        if (ephemeral) {
            Files2.deleteRecursively(dir);
        }
    }
}
