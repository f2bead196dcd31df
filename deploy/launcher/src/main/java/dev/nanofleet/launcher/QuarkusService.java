package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.ManagedProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One of our own Quarkus services, run from its {@code quarkus-app} and ready when its readiness check says UP. */
final class QuarkusService implements Component {

    /** Seconds on an idle machine; the node agent also fetches its guest kernel on its first start. */
    private static final Duration READY_DEADLINE = Duration.ofSeconds(240);

    private final String name;
    private final String module;
    private final String host;
    private final List<String> prefix;
    private final int port;
    private final Map<String, String> config;
    private final String maxHeap;

    QuarkusService(String module, int port, Map<String, String> config, String maxHeap) {
        this(module, module, "127.0.0.1", List.of(), port, config, maxHeap);
    }

    /**
     * @param name the component's name (PID file, log, data directory)
     * @param host the address it listens on
     * @param prefix what runs the JVM, e.g. {@code nsenter --net=...} to start it in another network namespace
     */
    QuarkusService(String name, String module, String host, List<String> prefix, int port, Map<String, String> config,
            String maxHeap) {
        this.name = name;
        this.host = host;
        this.prefix = List.copyOf(prefix);
        this.module = module;
        this.port = port;
        this.config = config;
        this.maxHeap = maxHeap;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Another instance of the same service with the same configuration on another port, under its own name (its PID
     * file, log and data directory): e.g. a second scheduler sharing the work through the consumer group.
     */
    QuarkusService another(String otherName, int otherPort) {
        return new QuarkusService(otherName, module, host, prefix, otherPort, config, maxHeap);
    }

    @Override
    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    @Override
    public long start(Layout layout) {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(FleetHome.javaBin().toString(), "-Xmx" + maxHeap, "-jar",
                layout.serviceJar(module).toString()));
        ManagedProcess.Builder builder = ManagedProcess.builder(name, command)
                .env("QUARKUS_HTTP_PORT", Integer.toString(port)).env("QUARKUS_HTTP_HOST", host);
        config.forEach(builder::env);
        return startDetached(layout, builder, READY_DEADLINE);
    }

    @Override
    public boolean ready() {
        return ManagedProcess.http200(URI.create(endpoint() + "/q/health/ready"));
    }

}
