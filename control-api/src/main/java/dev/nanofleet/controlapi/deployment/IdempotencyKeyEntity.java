package dev.nanofleet.controlapi.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The first answer to a create made under an Idempotency-Key, kept 24 hours for its retries. */
@Entity
@Table(name = "idempotency_key")
class IdempotencyKeyEntity {

    /** A key is the tenant's own: two tenants may use the same one. */
    @Embeddable
    record Id(String tenant, String key) implements Serializable {
    }

    @EmbeddedId
    Id id;

    @Column(name = "request_sha256", nullable = false)
    String requestSha256;

    int status;

    String location;

    @Column(nullable = false)
    String body;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
