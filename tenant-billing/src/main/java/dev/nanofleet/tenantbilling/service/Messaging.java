package dev.nanofleet.tenantbilling.service;

import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.ConsumerHealth;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.ServiceMessaging;
import dev.nanofleet.tenantbilling.meter.BillingEventHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the messaging every service shares to the meter's handler and the billing outbox. The consumer reads
 * deployments (names), instances and nodes (facts) and usage (samples); billing.* events leave through the outbox.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);
    static final List<String> TOPICS = List.of(Topics.DEPLOYMENTS, Topics.INSTANCES, Topics.NODES, Topics.USAGE);

    private final BillingServiceConfig config;
    private final DataSource dataSource;
    private final BillingEventHandler handler;
    private final Optional<String> bootstrapServers;
    private final MeterRegistry registry;
    private final Outbox outbox;
    private volatile ServiceMessaging running;

    Messaging(BillingServiceConfig config, DataSource dataSource, BillingEventHandler handler,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
            MeterRegistry registry) {
        this.config = config;
        this.dataSource = dataSource;
        this.handler = handler;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.outbox = new Outbox(dataSource, this::wakeRelay);
    }

    /** Before the finaliser and the spend monitor, which wait for the consumer. */
    void start(@Observes @Priority(10) StartupEvent startup) {
        BillingServiceConfig.Messaging messaging = config.messaging();
        if (!messaging.enabled()) {
            LOG.warn("messaging disabled (nanofleet.billing.service.messaging.enabled=false): no events are consumed");
            return;
        }
        String bootstrap = bootstrapServers.orElseThrow(() -> new IllegalStateException(
                "kafka.bootstrap.servers (env KAFKA_BOOTSTRAP_SERVERS) is required when messaging is enabled"));
        running = ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(bootstrap, "tenant-billing", messaging.topicPartitions(),
                        messaging.topicReplicationFactor(), messaging.outboxPollInterval(), messaging.consumerGroup(),
                        TOPICS, messaging.consumerSettings()),
                handler, registry);
        LOG.infof("tenant-billing consuming topics=%s group=%s bootstrap=%s", TOPICS, messaging.consumerGroup(),
                bootstrap);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
    }

    /** Appends to the billing outbox inside the caller's transaction. */
    public Outbox outbox() {
        return outbox;
    }

    private void wakeRelay() {
        ServiceMessaging current = running;
        if (current != null) {
            current.wakeRelay();
        }
    }

    /**
     * Every record Kafka had received before this moment has been read; empty before the consumer first caught up
     * (and while messaging is off).
     */
    public Optional<Instant> caughtUpAt() {
        return Optional.ofNullable(running).map(ServiceMessaging::caughtUpAt);
    }

    Optional<ConsumerHealth> health() {
        return Optional.ofNullable(running).map(ServiceMessaging::health);
    }

    boolean enabled() {
        return config.messaging().enabled();
    }
}
