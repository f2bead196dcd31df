package dev.nanofleet.controlapi.eventlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/** The event log's settings ({@code GET /v1/events}), validated at start-up. */
@ConfigMapping(prefix = "nanofleet.events")
public interface EventLogConfig {

    /**
     * The Kafka consumer group that fills the log. Its own group, apart from the instance-event consumer's, so its
     * offsets can be reset to rebuild the log without replaying placements (README "Events").
     */
    @WithDefault("control-api-eventlog")
    @NotBlank
    String consumerGroup();

    /** How long events are kept; older ones are purged, and not stored again when a replay brings them back. */
    @WithDefault("30d")
    Duration retention();

    /** How often events past the retention are deleted. */
    @WithDefault("1h")
    Duration purgeInterval();

    /**
     * How often followers look for events another replica stored. Events this replica stores reach its followers at
     * once (a signal after commit); this poll is the fallback.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** An idle follow stream gets an SSE comment this often, so proxies do not cut it. */
    @WithDefault("15s")
    Duration keepAlive();
}
