package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.events.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stores each event the log's consumer reads. Idempotent: the event id is unique in {@code event_log}, so a redelivered
 * or replayed event inserts nothing. Runs on the consumer's single thread, one transaction per event, which is what
 * keeps sequence numbers in commit order within this replica (the advisory lock in {@link EventLogStore} keeps them
 * so across replicas).
 */
@ApplicationScoped
public class EventLogIngest {

    private static final Logger LOG = Logger.getLogger(EventLogIngest.class);

    private final EventLogStore store;
    private final EventLogTail tail;
    private final EventLogConfig config;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final EventProjection projection;

    EventLogIngest(EventLogStore store, EventLogTail tail, EventLogConfig config, Clock clock,
            TransactionSynchronizationRegistry transactions) {
        this.store = store;
        this.tail = tail;
        this.config = config;
        this.clock = clock;
        this.transactions = transactions;
        this.projection = new EventProjection(store::tenantOfDeployment);
    }

    @Transactional
    public void handle(Event<?> event) {
        Optional<LogRow> row = projection.project(event);
        if (row.isEmpty()) {
            return;
        }
        if (event.time().isBefore(clock.instant().minus(config.retention()))) {
            // a replay brings back what the purge deleted: it stays deleted
            LOG.debugf("event=%s older than the retention, not stored", event.id());
            return;
        }
        if (!store.insert(row.get())) {
            LOG.debugf("event=%s already in the log", event.id());
            return;
        }
        if (row.get().tenant() == null && row.get().deploymentId() != null) {
            LOG.infof("event=%s type=%s: tenant of deployment=%s unknown, stored for operators only", event.id(),
                    row.get().type(), row.get().deploymentId());
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    tail.signal();
                }
            }
        });
    }
}
