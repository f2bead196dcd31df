package dev.nanofleet.controlapi.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant's hostname for one of its deployments, as stored: the certificate in clear, its key sealed. */
@Entity
@Table(name = "custom_domain")
class CustomDomainEntity {

    @Id
    String hostname;

    @Column(nullable = false)
    String tenant;

    @Column(name = "deployment_id", nullable = false)
    UUID deploymentId;

    @Column(name = "certificate_pem", nullable = false)
    String certificatePem;

    /** {@link dev.nanofleet.controlapi.secrets.SecretBox}, associated data {@link #sealedFor}. */
    @Column(name = "private_key_sealed", nullable = false)
    String privateKeySealed;

    @Column(name = "certificate_sha256", nullable = false)
    String certificateSha256;

    @Column(nullable = false)
    String issuer;

    @Column(name = "not_after", nullable = false)
    Instant notAfter;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    /** What a sealed key is bound to: a key copied to another row or deployment does not open. */
    static String sealedFor(String hostname, UUID deploymentId) {
        return "custom-domain:" + hostname + ":" + deploymentId;
    }
}
