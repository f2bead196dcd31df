package dev.nanofleet.tenantbilling.limit;

import dev.nanofleet.tenantbilling.service.BillingServiceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Checks every tenant with a spend limit (or a hold) on a fixed interval, on one thread. Each tenant is checked on its
 * own: one failing tenant does not keep the others from being checked.
 */
@ApplicationScoped
class SpendMonitor {

    private static final Logger LOG = Logger.getLogger(SpendMonitor.class);

    private final SpendLimitStore store;
    private final SpendLimitService limits;
    private final BillingServiceConfig config;
    private ScheduledExecutorService executor;

    SpendMonitor(SpendLimitStore store, SpendLimitService limits, BillingServiceConfig config) {
        this.store = store;
        this.limits = limits;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        executor = Executors
                .newSingleThreadScheduledExecutor(Thread.ofPlatform().name("spend-monitor").daemon().factory());
        long every = config.spendCheckInterval().toMillis();
        executor.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void checkAll() {
        try {
            for (String tenant : store.watchedTenants()) {
                try {
                    limits.check(tenant);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "tenant=%s spend check failed; next try in %s", tenant,
                            config.spendCheckInterval());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "spend checks failed; next try in %s", config.spendCheckInterval());
        }
    }
}
