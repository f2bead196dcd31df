package dev.nanofleet.node.core;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The node's cache of pulled images, by manifest digest, as the image garbage collector sees it. Thread-safe. */
public interface ImageCache {

    /** The digests of every cached image. */
    Set<String> cachedDigests();

    /** The digest a bundle was unpacked from, if it was unpacked by this cache. */
    Optional<String> digestOf(Path bundleDir);

    /**
     * Removes a cached image, its unpacked tree and every blob no other cached image uses. Refuses (throws) while an
     * instance's root file system still shows the unpacked tree.
     */
    void remove(String digest);
}
