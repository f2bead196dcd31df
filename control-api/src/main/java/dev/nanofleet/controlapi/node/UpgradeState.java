package dev.nanofleet.controlapi.node;

/**
 * Where a node OS upgrade stands. {@code REQUESTED} until the node picks it up from its assignment list, then the
 * node's reports ({@code INSTALLING}, {@code DRAINING}, {@code REBOOTING}, {@code FAILED}); control-api decides the
 * end from the version the node registers with after its reboot ({@code SUCCEEDED}, {@code ROLLED_BACK}).
 */
public enum UpgradeState {
    REQUESTED, INSTALLING, DRAINING, REBOOTING, SUCCEEDED, ROLLED_BACK, FAILED;

    /** Still to finish: another upgrade of the node must wait. */
    public boolean inProgress() {
        return this == REQUESTED || this == INSTALLING || this == DRAINING || this == REBOOTING;
    }
}
