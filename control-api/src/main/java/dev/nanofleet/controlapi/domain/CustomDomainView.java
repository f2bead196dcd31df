package dev.nanofleet.controlapi.domain;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A custom domain as its tenant sees it: never its key. */
@Schema(name = "CustomDomain")
public record CustomDomainView(
        @Schema(required = true) String hostname,
        @Schema(required = true) UUID deploymentId,
        @Schema(required = true, description = "the certificate's issuer, as its distinguished name") String issuer,
        @Schema(required = true, description = "when the certificate expires; send a renewed one before") Instant notAfter,
        @Schema(required = true, description = "SHA-256 of the certificate (DER), hex") String certificateSha256,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, description = "when the certificate was last replaced") Instant updatedAt) {

    static CustomDomainView of(CustomDomainEntity d) {
        return new CustomDomainView(d.hostname, d.deploymentId, d.issuer, d.notAfter, d.certificateSha256,
                d.createdAt, d.updatedAt);
    }
}
