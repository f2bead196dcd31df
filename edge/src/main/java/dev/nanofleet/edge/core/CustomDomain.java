package dev.nanofleet.edge.core;

import java.util.Locale;

/**
 * A tenant's own hostname for a deployment and the fingerprint (SHA-256 of the DER, hex) of the certificate the edge
 * serves for it.
 */
public record CustomDomain(String hostname, String certificateSha256) {

    public CustomDomain {
        hostname = hostname.toLowerCase(Locale.ROOT);
    }
}
