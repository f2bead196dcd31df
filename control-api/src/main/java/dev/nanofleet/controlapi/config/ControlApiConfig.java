package dev.nanofleet.controlapi.config;

import dev.nanofleet.messaging.ConsumerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.nanofleet.controlapi.node.NodeLivenessConfig;
import dev.nanofleet.controlapi.nodeos.NodeOsConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/**
 * control-api's own settings, validated when the application starts: a bad value stops start-up with the key named
 * instead of failing later on the first request.
 */
@ConfigMapping(prefix = "nanofleet.control-api")
public interface ControlApiConfig {

    /** The CloudEvents {@code source} of every event this service writes. */
    @WithDefault("control-api")
    @NotBlank
    String eventSource();

    /** A node whose last heartbeat is older than this is shown as NOT_READY. */
    @WithDefault("30s")
    Duration nodeHeartbeatGrace();

    /**
     * The AES-256 key (32 random bytes, base64) that seals registry passwords at rest. Required: losing it makes the
     * stored passwords unusable, so it is configured, never generated here.
     */
    @Pattern(regexp = "[A-Za-z0-9+/]{43}=", message = "needs a base64-encoded 32-byte key: set NANOFLEET_CONTROL_API_SECRETS_KEY"
            + " (nanofleet.control-api.secrets-key), e.g. the output of: head -c 32 /dev/urandom | base64")
    String secretsKey();

    /**
     * The domain under which the edge gives each deployment its hostname ({@code <name>-<tenant>.<apps-domain>}); the
     * edge's {@code nanofleet.edge.apps-domain} must say the same. No tenant may claim a custom domain inside it.
     */
    @WithDefault("apps.localhost")
    @NotBlank
    String appsDomain();

    Kafka kafka();

    /** What control-api hands out for the edge. */
    Edge edge();

    Required required();

    Outbox outbox();

    /** When a silent node is marked LOST, and the safeguards against marking too many. */
    NodeLivenessConfig nodeLiveness();

    /** Where node OS releases come from, for {@code POST /v1/nodes/{name}/upgrade}. */
    NodeOsConfig nodeOs();

    interface Edge {
        /**
         * The edge ports tcp ports get, {@code first-last} within 1024-65535 (checked at start-up by
         * {@code EdgePorts}): ports on the edge's address that nothing else there may use. Changing it later leaves
         * the ports handed out so far where they are.
         */
        @WithDefault("20000-20999")
        String tcpPorts();
    }

    interface Kafka {
        /** Partitions of each topic this service creates when it is missing. */
        @WithDefault("3")
        @Min(1)
        @Max(1000)
        int topicPartitions();

        /** Replication factor of each topic this service creates when it is missing. */
        @WithDefault("1")
        @Min(1)
        @Max(10)
        short topicReplicationFactor();

        /** Consumer group of the instance-event consumer. */
        @WithDefault("control-api")
        @NotBlank
        String consumerGroup();

        /** How long the readiness check waits for the broker to answer. */
        @WithDefault("2s")
        Duration healthTimeout();

        /** Times the handler gets one event before it goes to the dead-letter topic nanofleet.dlq.<group>.v1. */
        @WithDefault("5")
        @Min(1)
        @Max(20)
        int handlerAttempts();

        /** Kafka's max.poll.interval.ms: a consumer away from poll longer than this is evicted and replaced. */
        @WithDefault("5m")
        Duration maxPollInterval();

        /** The consumer is reported not ready after making no progress for this long. */
        @WithDefault("1m")
        Duration consumerStuckAfter();

        default ConsumerSettings consumerSettings() {
            return ConsumerSettings.of(handlerAttempts(), maxPollInterval(), consumerStuckAfter());
        }
    }

    /**
     * Settings of other extensions that control-api cannot run without. Mirrored here so a missing one stops start-up
     * with one message naming the environment variable to set, before any extension fails in its own words.
     */
    interface Required {
        @WithDefault("${quarkus.datasource.jdbc.url:unset}")
        @Pattern(regexp = "jdbc:postgresql:.+", message = "needs a PostgreSQL JDBC URL: set QUARKUS_DATASOURCE_JDBC_URL (quarkus.datasource.jdbc.url),"
                + " e.g. jdbc:postgresql://127.0.0.1:5432/nanofleet")
        String datasourceUrl();

        @WithDefault("${kafka.bootstrap.servers:unset}")
        @Pattern(regexp = "[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*", message = "needs Kafka host:port list: set KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers), e.g. 127.0.0.1:9092")
        String kafkaBootstrapServers();

        @WithDefault("${quarkus.oidc.auth-server-url:unset}")
        @Pattern(regexp = "https?://.+", message = "needs the Keycloak realm URL: set QUARKUS_OIDC_AUTH_SERVER_URL (quarkus.oidc.auth-server-url),"
                + " e.g. http://127.0.0.1:8180/realms/nanofleet")
        String oidcAuthServerUrl();
    }

    interface Outbox {
        /** How often the relay looks at the outbox when nobody woke it. */
        @WithDefault("1s")
        Duration pollInterval();
    }
}
