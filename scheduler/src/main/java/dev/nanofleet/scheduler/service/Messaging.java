package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.ConsumerHealth;
import dev.nanofleet.messaging.ServiceMessaging;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the messaging every service shares ({@link ServiceMessaging}: topics, outbox relay, supervised consumer,
 * health, metrics) to the scheduler's configuration and its event handler, once the database is migrated. Instance
 * states free and re-take capacity; the scheduler's own instance.placed events come back on that topic and are skipped.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);
    /** What the scheduler consumes; a new subscription is one more topic here and a branch in the handler. */
    static final List<String> TOPICS = List.of(Topics.DEPLOYMENTS, Topics.NODES, Topics.INSTANCES);

    private final SchedulerConfig config;
    private final DataSource dataSource;
    private final SchedulerEventHandler handler;
    private final Optional<String> bootstrapServers;
    private final MeterRegistry registry;
    private volatile ServiceMessaging running;

    Messaging(SchedulerConfig config, DataSource dataSource, SchedulerEventHandler handler,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
            MeterRegistry registry) {
        this.config = config;
        this.dataSource = dataSource;
        this.handler = handler;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) {
        SchedulerConfig.Messaging messaging = config.messaging();
        if (!messaging.enabled()) {
            LOG.warn("messaging disabled (nanofleet.scheduler.messaging.enabled=false): no events are consumed");
            return;
        }
        String bootstrap = bootstrapServers.orElseThrow(() -> new IllegalStateException(
                "kafka.bootstrap.servers (env KAFKA_BOOTSTRAP_SERVERS) is required when messaging is enabled"));
        running = ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(bootstrap, "scheduler", messaging.topicPartitions(),
                        messaging.topicReplicationFactor(), messaging.outboxPollInterval(), messaging.consumerGroup(),
                        TOPICS, messaging.consumerSettings()),
                handler, registry);
        LOG.infof("scheduler consuming topics=%s group=%s bootstrap=%s vmOverheadMib=%d tieBreak=%s", TOPICS,
                messaging.consumerGroup(), bootstrap, config.vmOverheadMib(), config.tieBreak());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
    }

    void wakeRelay() {
        ServiceMessaging current = running;
        if (current != null) {
            current.wakeRelay();
        }
    }

    /**
     * The consumer's health; empty before start-up and while messaging is disabled on purpose (then
     * {@link #enabled()} is false).
     */
    Optional<ConsumerHealth> health() {
        return Optional.ofNullable(running).map(ServiceMessaging::health);
    }

    boolean enabled() {
        return config.messaging().enabled();
    }
}
