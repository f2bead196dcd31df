package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.ServiceMessaging;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the Kafka side once the database is migrated: topics, the outbox relay, then the consumer of deployment,
 * node and instance events (instance states free and re-take capacity; the scheduler's own instance.placed events
 * come back on that topic and are skipped). Stops them in reverse order.
 */
@ApplicationScoped
public class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);

    @Inject
    SchedulerConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    SchedulerEventHandler handler;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    java.util.Optional<String> bootstrapServers;

    private volatile ServiceMessaging running;
    private volatile KafkaClientMetrics consumerMetrics;

    @Inject
    MeterRegistry registry;

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
                        List.of(Topics.DEPLOYMENTS, Topics.NODES, Topics.INSTANCES)),
                handler, kafka -> {
                    // consumer lag (kafka_consumer_fetch_manager_records_lag_max and friends): the queue not read yet
                    consumerMetrics = new KafkaClientMetrics(kafka);
                    consumerMetrics.bindTo(registry);
                });
        LOG.infof("scheduler consuming topics=%s group=%s bootstrap=%s vmOverheadMib=%d tieBreak=%s",
                List.of(Topics.DEPLOYMENTS, Topics.NODES, Topics.INSTANCES), messaging.consumerGroup(), bootstrap,
                config.vmOverheadMib(), config.tieBreak());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
    }

    void wakeRelay() {
        ServiceMessaging current = running;
        if (current != null) {
            current.wakeRelay();
        }
    }

    /** Whether the relay and consumer were started (or messaging is disabled on purpose). */
    boolean started() {
        return !config.messaging().enabled() || running != null;
    }
}
