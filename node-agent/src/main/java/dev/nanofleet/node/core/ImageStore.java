package dev.nanofleet.node.core;

import dev.nanofleet.nodeapi.RegistryCredentials;
import java.nio.file.Path;

/**
 * Pulls images and makes bundles of them. Implementations cache pulled images and are thread-safe; a call blocks
 * for as long as the pull takes, so the reconciler calls it from a worker.
 */
public interface ImageStore {

    /**
     * Pulls {@code imageReference} if it is not cached and makes {@code bundleDir} its bundle (replacing whatever is
     * there): the image's {@code config.json}, and its root file system as {@link PreparedImage#rootfs()}, which the
     * runtime shows at {@code bundleDir/rootfs}. A private image needs {@code credentials} even when cached: the
     * registry decides whether they give access (an answer is remembered briefly for the same reference and
     * credentials only), so a tenant without access never gets another tenant's cached copy.
     *
     * @throws ImagePullException with a {@link ImagePullException.Kind} and a reason for a person
     */
    PreparedImage prepare(String imageReference, RegistryCredentials credentials, Path bundleDir);

    /**
     * Whether {@link #prepare} would have to pull {@code imageReference} (or ask its registry) rather than make the
     * bundle from the cache at once: the reconciler reports PULLING only then. Cheap (no registry round trip); may say
     * true when unsure.
     */
    default boolean mustPull(String imageReference, RegistryCredentials credentials) {
        return true;
    }

    /** {@link #prepare(String, RegistryCredentials, Path)} of a public image. */
    default PreparedImage prepare(String imageReference, Path bundleDir) {
        return prepare(imageReference, null, bundleDir);
    }
}
