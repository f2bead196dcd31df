package dev.nanofleet.nodeapi;

/**
 * The node's word on an {@link OsUpgradeOrder}: {@code state} one of {@link #INSTALLING}, {@link #DRAINING} (the slot
 * is written: control-api drains the node), {@link #REBOOTING} or {@link #FAILED}; {@code detail} says what happened
 * (why it failed), at most 512 characters.
 */
public record OsUpgradeReport(String version, String state, String detail) {

    public static final String INSTALLING = "installing";
    public static final String DRAINING = "draining";
    public static final String REBOOTING = "rebooting";
    public static final String FAILED = "failed";
}
