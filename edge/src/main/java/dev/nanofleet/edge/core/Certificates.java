package dev.nanofleet.edge.core;

import java.nio.file.Path;
import java.util.Collection;

/**
 * Where custom domains' certificates come from: a PEM file (certificate chain, then key) per certificate, fetched
 * from the control plane the first time a fingerprint is seen. Called from one thread at a time.
 */
public interface Certificates {

    /** Serves no custom domain: for an edge, or a test, without them. */
    Certificates NONE = new Certificates() {
        @Override
        public Path file(CustomDomain domain) throws Exception {
            throw new UnsupportedOperationException("no custom domains here");
        }

        @Override
        public void retain(Collection<Path> inUse) {
        }
    };

    /**
     * @return the PEM file of {@code domain}'s certificate and key
     * @throws Exception when it cannot be had now (the domain is left out of the routes until a later pass)
     */
    Path file(CustomDomain domain) throws Exception;

    /** Deletes every file {@link #file} made that is not in {@code inUse}: renewed or detached domains' keys. */
    void retain(Collection<Path> inUse) throws Exception;
}
