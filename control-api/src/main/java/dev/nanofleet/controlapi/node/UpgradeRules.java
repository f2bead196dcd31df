package dev.nanofleet.controlapi.node;

import dev.nanofleet.nodeapi.OsUpgradeReport;
import java.util.Optional;

/**
 * The state machine of a node OS upgrade, without I/O. The node moves it forward with its reports; its registration
 * after the reboot ends it: the new version means the new slot came up and its agent enrolled ({@code SUCCEEDED}),
 * the old one means systemd-boot fell back after the new slot's tries ran out ({@code ROLLED_BACK}).
 */
public final class UpgradeRules {

    private UpgradeRules() {
    }

    /**
     * Why {@code version} cannot be asked of a node now, or empty when it can.
     *
     * @param osVersion what the node registered with (null: it does not run the node OS)
     * @param current its latest upgrade's state, null when it never had one
     */
    public static Optional<String> refusal(String nodeName, String osVersion, UpgradeState current, String version) {
        if (osVersion == null) {
            return Optional.of("node '" + nodeName + "' does not run the node OS (it registered no image version)");
        }
        if (current != null && current.inProgress()) {
            return Optional.of("node '" + nodeName + "' has an upgrade in progress (" + current.name()
                    .toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (osVersion.equals(version)) {
            return Optional.of("node '" + nodeName + "' runs " + version + " already");
        }
        return Optional.empty();
    }

    /**
     * The state a node's report moves the upgrade to, or empty when the report does not fit where it stands (a report
     * about another version, one after the end, or a step back).
     */
    public static Optional<UpgradeState> afterReport(UpgradeState current, String version, OsUpgradeReport report) {
        if (current == null || !current.inProgress() || report == null || !version.equals(report.version())) {
            return Optional.empty();
        }
        UpgradeState next = switch (report.state() == null ? "" : report.state()) {
            case OsUpgradeReport.INSTALLING -> UpgradeState.INSTALLING;
            case OsUpgradeReport.DRAINING -> UpgradeState.DRAINING;
            case OsUpgradeReport.REBOOTING -> UpgradeState.REBOOTING;
            case OsUpgradeReport.FAILED -> UpgradeState.FAILED;
            default -> null;
        };
        if (next == null) {
            return Optional.empty();
        }
        // forward only (a repeated report is fine); a failure may end any step, the reboot too (its command failed:
        // the node still runs the old slot, and the registration after a real reboot would come first)
        boolean forward = next == UpgradeState.FAILED || next.ordinal() >= current.ordinal();
        return forward ? Optional.of(next) : Optional.empty();
    }

    /**
     * The state a registration with {@code registeredVersion} ends the upgrade in, or empty when it leaves it as it is
     * (an agent restarted before it picked the upgrade up, or a node not running the node OS).
     */
    public static Optional<UpgradeState> afterRegistration(UpgradeState current, String version,
            String registeredVersion) {
        if (current == null || registeredVersion == null) {
            return Optional.empty();
        }
        // the node runs the release: whatever it reported on the way (a reboot command killed by the shutdown it
        // started reads as a failure), the upgrade happened
        if (registeredVersion.equals(version) && (current.inProgress() || current == UpgradeState.FAILED)) {
            return Optional.of(UpgradeState.SUCCEEDED);
        }
        if (!current.inProgress()) {
            return Optional.empty();
        }
        // the agent starts only from a booted slot: past REQUESTED, coming back on another version means the new slot
        // did not come up (or the node restarted mid-install, which left its boot path as it was)
        return current == UpgradeState.REQUESTED ? Optional.empty() : Optional.of(UpgradeState.ROLLED_BACK);
    }
}
