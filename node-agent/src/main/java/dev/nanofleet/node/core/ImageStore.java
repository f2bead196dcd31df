package dev.nanofleet.node.core;

import java.nio.file.Path;

/**
 * Pulls images and unpacks them into bundles. Implementations cache pulled images and are thread-safe; a call blocks
 * for as long as the pull takes, so the reconciler calls it from a worker.
 */
public interface ImageStore {

    /**
     * Pulls {@code imageReference} if it is not cached and unpacks it into {@code bundleDir} (replacing whatever is
     * there).
     *
     * @throws ImagePullException with a {@link ImagePullException.Kind} and a reason for a person
     */
    PreparedImage prepare(String imageReference, Path bundleDir);
}
