package dev.nanofleet.node.upgrade;

import dev.nanofleet.nodeapi.OsUpgradeReport;

/** Tells control-api how the upgrade goes; a report that does not arrive is logged, not retried. */
public interface UpgradeProgress {

    void report(OsUpgradeReport report);
}
