package dev.nanofleet.node.upgrade;

import dev.nanofleet.nodeapi.OsUpgradeOrder;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Starts an upgrade when a fetched assignment list carries an order for another version than the running one: one at
 * a time, on the executor (never on the fetching thread), and an order this agent tried once is not started again
 * while control-api keeps sending it (its report may not have arrived); once a list without it arrives, a new order
 * for the same version is taken again.
 */
public final class UpgradeTrigger implements Consumer<OsUpgradeOrder> {

    private static final Logger LOG = Logger.getLogger(UpgradeTrigger.class);

    private final String runningVersion;
    private final Executor executor;
    private final Consumer<String> upgrade;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile String attempted;

    /**
     * @param upgrade runs the upgrade to the given version (e.g. {@link OsUpgrader#run} with the booted slot)
     */
    public UpgradeTrigger(String runningVersion, Executor executor, Consumer<String> upgrade) {
        this.runningVersion = runningVersion;
        this.executor = executor;
        this.upgrade = upgrade;
    }

    @Override
    public void accept(OsUpgradeOrder order) {
        if (order == null || order.version() == null) {
            attempted = null;
            return;
        }
        String version = order.version();
        if (version.equals(runningVersion) || version.equals(attempted) || !busy.compareAndSet(false, true)) {
            return;
        }
        attempted = version;
        LOG.infof("event=os-upgrade.ordered from=%s to=%s", runningVersion, version);
        try {
            executor.execute(() -> {
                try {
                    upgrade.accept(version);
                } finally {
                    busy.set(false);
                }
            });
        } catch (RuntimeException e) {
            busy.set(false);
            throw e;
        }
    }
}
