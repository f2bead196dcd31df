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
    private final int port;
    private final Map<String, String> config;
    private final String maxHeap;

    QuarkusService(String module, int port, Map<String, String> config, String maxHeap) {
        this(module, module, port, config, maxHeap);
    }

    private QuarkusService(String name, String module, int port, Map<String, String> config, String maxHeap) {
        this.name = name;
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
        return new QuarkusService(otherName, module, otherPort, config, maxHeap);
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public long start(Layout layout) {
        List<String> command = List.of(FleetHome.javaBin().toString(), "-Xmx" + maxHeap, "-jar",
                layout.serviceJar(module).toString());
        ManagedProcess.Builder builder = ManagedProcess.builder(name, command)
                .env("QUARKUS_HTTP_PORT", Integer.toString(port)).env("QUARKUS_HTTP_HOST", "127.0.0.1");
        config.forEach(builder::env);
        return startDetached(layout, builder, READY_DEADLINE);
    }

    @Override
    public boolean ready() {
        return ManagedProcess.http200(URI.create(endpoint() + "/q/health/ready"));
    }

}
