package dev.nanofleet.tenantbilling.service;

import dev.nanofleet.messaging.ConsumerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** How the service runs its work: the consumer, the invoice finaliser and the spend monitor. */
@ConfigMapping(prefix = "nanofleet.billing.service")
public interface BillingServiceConfig {

    /** How often the finaliser looks for periods whose cutoff has passed. */
    @WithDefault("PT10S")
    Duration finalizeInterval();

    /**
     * How long after a period's cutoff the consumer must have read every partition to its end before the invoice is
     * final: a record stamped by its producer just before the cutoff may reach the broker a little later.
     */
    @WithDefault("PT30S")
    Duration settle();

    /** How often tenants with a spend limit are checked against it. */
    @WithDefault("PT5S")
    Duration spendCheckInterval();

    Messaging messaging();

    interface Messaging {

        /** Off only in tests that feed the handler directly. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("tenant-billing")
        String consumerGroup();

        @WithDefault("3")
        @Min(1)
        int topicPartitions();

        @WithDefault("1")
        @Min(1)
        short topicReplicationFactor();

        @WithDefault("PT1S")
        Duration outboxPollInterval();

        @WithDefault("5")
        @Min(1)
        @Max(20)
        int handlerAttempts();

        @WithDefault("PT5M")
        Duration maxPollInterval();

        @WithDefault("PT1M")
        Duration consumerStuckAfter();

        default ConsumerSettings consumerSettings() {
            return ConsumerSettings.of(handlerAttempts(), maxPollInterval(), consumerStuckAfter());
        }
    }
}
