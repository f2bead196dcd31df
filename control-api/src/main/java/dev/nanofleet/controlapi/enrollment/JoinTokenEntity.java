package dev.nanofleet.controlapi.enrollment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A join token as stored: the hash of its secret, never the secret. {@code usesLeft} is taken only by
 * {@link JoinTokens#consume}'s conditional UPDATE. Revoked tokens stay, for the audit trail.
 */
@Entity
@Table(name = "node_join_token")
class JoinTokenEntity {

    @Id
    UUID id;

    @Column(name = "secret_sha256", nullable = false, unique = true)
    String secretSha256;

    String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    Map<String, String> labels;

    @Column(nullable = false)
    int uses;

    @Column(name = "uses_left", nullable = false)
    int usesLeft;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
