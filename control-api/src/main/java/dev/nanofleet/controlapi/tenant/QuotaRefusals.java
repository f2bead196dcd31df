package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.problem.QuotaExceeded;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.QuotaRefused;
import dev.nanofleet.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.transaction.Transactional;
import java.util.Locale;

/**
 * Publishes {@code tenant.quota-refused} for a refused request. In a transaction of its own: the refused request's
 * transaction rolls back, and the event must not go with it.
 */
@ApplicationScoped
public class QuotaRefusals {

    private final Outbox outbox;
    private final EventFactory events;
    private final Caller caller;

    QuotaRefusals(Outbox outbox, EventFactory events, Caller caller) {
        this.outbox = outbox;
        this.events = events;
        this.caller = caller;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String tenantId, Isolation isolation, Quota.Use asked, QuotaExceeded exceeded) {
        String subject = isolation.name().toLowerCase(Locale.ROOT) + ": " + asked.instances() + " instances, "
                + asked.cpuMillis() + " cpu millis, " + asked.memoryMiB() + " MiB";
        Event<QuotaRefused> event = events.event(tenantId, tenantId, new QuotaRefused(tenantId, exceeded.name(),
                exceeded.limit(), exceeded.used(), exceeded.requested(), subject));
        outbox.append(actor() == null ? event : event.by(actor()));
    }

    private String actor() {
        try {
            return caller.identity().actor();
        } catch (ContextNotActiveException e) {
            return null; // not in a request
        }
    }
}
