package dev.nanofleet.controlapi.domain;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A hostname for a deployment and the certificate the edge serves for it. Sending it again for the same deployment
 * replaces the certificate (a renewal).
 */
@Schema(name = "CustomDomainRequest")
public record CustomDomainRequest(
        @Schema(required = true, description = "a DNS name of the tenant's, outside the platform's apps domain; point it (CNAME or A) at the edge", examples = "www.example.com") String hostname,
        @Schema(required = true, description = "PEM: the certificate naming the hostname (a DNS subject alternative name, exact or one-label wildcard), then its intermediates") String certificate,
        @Schema(required = true, description = "PEM: the certificate's private key, unencrypted (PKCS#8, or PKCS#1 for RSA); stored sealed and never shown again") String privateKey) {
}
