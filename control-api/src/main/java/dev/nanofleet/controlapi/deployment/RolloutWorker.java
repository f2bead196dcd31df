package dev.nanofleet.controlapi.deployment;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves rollouts on, one deployment at a time on one thread, so two looks at the same rollout never race: at once
 * after a committed report about one of its replicas ({@link Nudge}), and every {@code nanofleet.rollouts.interval}
 * for every rollout in progress (deadlines, minReadySeconds, and a nudge lost in a restart). Each look is its own
 * transaction; one that loses a race with a tenant's change is simply taken again at the next nudge or tick.
 */
@ApplicationScoped
public class RolloutWorker {

    /** A rollout may have something to do. */
    public record Nudge(UUID deploymentId) {
    }

    private static final Logger LOG = Logger.getLogger(RolloutWorker.class);

    private final Rollouts rollouts;
    private final EntityManager em;
    private final Duration interval;
    private final Set<UUID> queued = new LinkedHashSet<>();
    private Thread thread;

    RolloutWorker(Rollouts rollouts, EntityManager em,
            @ConfigProperty(name = "nanofleet.rollouts.interval", defaultValue = "1s") Duration interval) {
        this.rollouts = rollouts;
        this.em = em;
        this.interval = interval;
    }

    void start(@Observes StartupEvent startup) {
        thread = Thread.ofPlatform().name("rollouts").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    void nudged(@Observes(during = TransactionPhase.AFTER_SUCCESS) Nudge nudge) {
        synchronized (queued) {
            queued.add(nudge.deploymentId());
            queued.notifyAll();
        }
    }

    private void run() {
        long nextScan = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long wait = nextScan - System.currentTimeMillis();
                if (wait <= 0) {
                    nextScan = System.currentTimeMillis() + interval.toMillis();
                    progressing().forEach(this::look);
                    continue;
                }
                UUID id = take(wait);
                if (id != null) {
                    look(id);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "rollout pass failed; next pass in %s", interval);
            }
        }
    }

    private UUID take(long waitMillis) throws InterruptedException {
        synchronized (queued) {
            if (queued.isEmpty()) {
                queued.wait(waitMillis);
            }
            if (queued.isEmpty()) {
                return null;
            }
            UUID id = queued.iterator().next();
            queued.remove(id);
            return id;
        }
    }

    private void look(UUID id) {
        try {
            QuarkusTransaction.requiringNew().run(() -> rollouts.look(id));
        } catch (RuntimeException e) {
            if (ConcurrentChange.isVersionConflict(e)) {
                LOG.debugf("rollout of deployment=%s lost a race; looked at again on the next pass", id);
            } else {
                LOG.warnf(e, "rollout of deployment=%s could not advance", id);
            }
        }
    }

    private List<UUID> progressing() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("""
                SELECT d.id FROM DeploymentEntity d
                WHERE d.rolloutState = dev.nanofleet.events.RolloutState.PROGRESSING AND d.deletedAt IS NULL""",
                UUID.class).getResultList());
    }
}
