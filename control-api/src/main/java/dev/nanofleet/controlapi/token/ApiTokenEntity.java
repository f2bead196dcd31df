package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.security.Scope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An API token as stored: the hash of its secret, never the secret. Revoked tokens stay, for the audit trail. */
@Entity
@Table(name = "api_token")
class ApiTokenEntity {

    @Id
    UUID id;

    @Column(name = "secret_sha256", nullable = false, unique = true)
    String secretSha256;

    /** Null for an operator token. */
    String tenant;

    boolean operator;

    @Column(nullable = false)
    String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    List<Scope> scopes;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
