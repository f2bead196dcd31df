package dev.nanofleet.tenantbilling.limit;

import dev.nanofleet.tenantbilling.service.BillingServiceConfig;
import dev.nanofleet.tenantbilling.service.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
    private Periodic running;

    SpendMonitor(SpendLimitStore store, SpendLimitService limits, BillingServiceConfig config) {
        this.store = store;
        this.limits = limits;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        running = Periodic.start("spend-monitor", config.spendCheckInterval(), this::checkAll);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
    }

    private void checkAll() {
        for (String tenant : store.watchedTenants()) {
            try {
                limits.check(tenant);
            } catch (RuntimeException e) {
                LOG.errorf(e, "tenant=%s spend check failed; next try in %s", tenant, config.spendCheckInterval());
            }
        }
    }
}
