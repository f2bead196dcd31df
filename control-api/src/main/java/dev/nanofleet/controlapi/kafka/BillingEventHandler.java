package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.tenant.SpendHolds;
import dev.nanofleet.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Applies billing's limit events ({@link SpendHolds}) and measures how long a hold takes: from the reached event's time
 * (billing's decision) to its stops being committed here, as {@code nanofleet_spend_hold_stop_seconds}. The other
 * billing events are only the event log's.
 */
@ApplicationScoped
public class BillingEventHandler {

    private static final Logger LOG = Logger.getLogger(BillingEventHandler.class);

    private final SpendHolds holds;
    private final Clock clock;
    private final Timer stopDelay;

    BillingEventHandler(SpendHolds holds, Clock clock, MeterRegistry registry) {
        this.holds = holds;
        this.clock = clock;
        this.stopDelay = Timer.builder("nanofleet.spend.hold.stop")
                .description("From billing finding a tenant's spend limit reached to its deployments' stop committed")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void handle(Event<?> event) {
        SpendHolds.Outcome outcome = holds.apply(event); // committed on return
        if (outcome.applied() && !outcome.stopped().isEmpty()) {
            Duration delay = Duration.between(event.time(), clock.instant());
            stopDelay.record(delay.isNegative() ? Duration.ZERO : delay);
            LOG.infof("event=tenant.spend-hold-stopped tenant=%s deployments=%d delay-ms=%d (event time to commit)",
                    outcome.tenant(), outcome.stopped().size(), delay.toMillis());
        }
    }
}
