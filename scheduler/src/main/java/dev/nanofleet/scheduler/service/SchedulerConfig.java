package dev.nanofleet.scheduler.service;

import dev.nanofleet.messaging.ConsumerSettings;
import dev.nanofleet.scheduler.core.SchedulerPolicy;
import dev.nanofleet.scheduler.core.TieBreak;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The scheduler's settings, validated when the service starts: a bad value stops it with a message. */
@ConfigMapping(prefix = "nanofleet.scheduler")
public interface SchedulerConfig {

    /** Memory (MiB) a hardware-isolated instance costs on top of what it asks for: guest kernel and VMM. */
    @WithDefault("64")
    @Min(0)
    @Max(65536)
    int vmOverheadMib();

    /** How equal-scored nodes are chosen: {@code name} (first name) or {@code seeded} (hash of the instance id). */
    @WithDefault("name")
    TieBreak tieBreak();

    /**
     * How often one batch is planned: after another scheduler changed a row it writes (or a node a refusal was decided
     * on), the rows are re-read and the batch planned again, this many times in all.
     */
    @WithDefault("8")
    @Min(1)
    @Max(100)
    int maxConflictRetries();

    /** 0..100: weight of spreading a deployment's hardware-isolated replicas over nodes and zones vs bin packing. */
    @WithDefault("75")
    @Min(0)
    @Max(100)
    int spreadWeight();

    /** Score only this many feasible nodes per replica (a deterministic, zone-interleaved sample); 0 scores all. */
    @WithDefault("50")
    @Min(0)
    int feasibleNodesToScore();

    Messaging messaging();

    interface Messaging {

        /** Off only in tests that drive the handlers directly. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group; every scheduler instance joins the same one. */
        @WithDefault("scheduler")
        String consumerGroup();

        /** Partitions for topics this service creates when they are missing. */
        @WithDefault("3")
        @Min(1)
        int topicPartitions();

        @WithDefault("1")
        @Min(1)
        short topicReplicationFactor();

        /** How often the outbox relay looks for events nobody woke it for. */
        @WithDefault("PT1S")
        Duration outboxPollInterval();

        /** Times the handler gets one event before it goes to the dead-letter topic nanofleet.dlq.<group>.v1. */
        @WithDefault("5")
        @Min(1)
        @Max(20)
        int handlerAttempts();

        /** Kafka's max.poll.interval.ms: a consumer away from poll longer than this is evicted and replaced. */
        @WithDefault("PT5M")
        Duration maxPollInterval();

        /** The consumer is reported not ready after making no progress for this long. */
        @WithDefault("PT1M")
        Duration consumerStuckAfter();

        default ConsumerSettings consumerSettings() {
            return ConsumerSettings.of(handlerAttempts(), maxPollInterval(), consumerStuckAfter());
        }
    }

    default SchedulerPolicy policy() {
        return new SchedulerPolicy(vmOverheadMib(), tieBreak(), spreadWeight(), feasibleNodesToScore());
    }
}
