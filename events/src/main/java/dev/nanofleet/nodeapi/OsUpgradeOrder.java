package dev.nanofleet.nodeapi;

/**
 * An operator's request that the node install node OS release {@code version} into its idle slot and reboot into it.
 * The node fetches the release's {@link OsReleaseManifest} and files from the node API and reports its progress with
 * {@link OsUpgradeReport}s.
 */
public record OsUpgradeOrder(String version) {
}
