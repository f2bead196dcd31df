package dev.nanofleet.node.core;

import java.nio.file.Path;

/**
 * An image unpacked into an OCI bundle: {@code bundle/rootfs} plus a {@code bundle/config.json} that already carries
 * the image's entrypoint, cmd, env and working directory.
 *
 * @param reference the image as the assignment named it
 * @param digest the manifest digest that was unpacked, e.g. {@code sha256:...}
 */
public record PreparedImage(String reference, String digest, Path bundle) {
}
