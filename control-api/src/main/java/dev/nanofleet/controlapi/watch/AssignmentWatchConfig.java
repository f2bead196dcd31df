package dev.nanofleet.controlapi.watch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** The node agents' assignment watch ({@code GET .../assignments/watch}). */
@ConfigMapping(prefix = "nanofleet.assignment-watch")
public interface AssignmentWatchConfig {

    /** A comment is written on an idle stream this often, so dead connections are noticed on both ends. */
    @WithDefault("15s")
    Duration heartbeat();

    /** The first wait before the LISTEN connection to PostgreSQL is opened again after it failed (doubling to 30 s). */
    @WithName("listen-retry")
    @WithDefault("1s")
    Duration listenRetry();
}
