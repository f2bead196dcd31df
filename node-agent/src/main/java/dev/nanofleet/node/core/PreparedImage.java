package dev.nanofleet.node.core;

import java.nio.file.Path;

/**
 * An image made ready for one instance: {@code bundle/config.json} carries the image's entrypoint, cmd, env and working
 * directory, and the image's root file system is {@code rootfs}, a tree the image store unpacked once for this digest
 * and that no instance may write: the runtime shows it at {@code bundle/rootfs} with the instance's own writes on top
 * ({@code dev.nanofleet.node.host.RootfsOverlay}).
 *
 * @param reference the image as the assignment named it
 * @param digest the manifest digest that was unpacked, e.g. {@code sha256:...}
 * @param rootfs the image's shared, read-only root file system; {@code bundle/rootfs} itself when the bundle holds its
 *        own copy (nothing to mount)
 */
public record PreparedImage(String reference, String digest, Path bundle, Path rootfs) {

    /** An image unpacked into the bundle itself. */
    public PreparedImage(String reference, String digest, Path bundle) {
        this(reference, digest, bundle, bundle.resolve("rootfs"));
    }

    /** Whether the runtime must mount {@link #rootfs} at {@code bundle/rootfs} before it starts the instance. */
    public boolean shared() {
        return !rootfs.equals(bundle.resolve("rootfs"));
    }
}
