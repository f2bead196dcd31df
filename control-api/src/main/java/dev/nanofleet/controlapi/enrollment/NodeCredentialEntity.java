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

/** A node's credential as stored: the hash of its secret, the labels its join token stamped, and when it was revoked. */
@Entity
@Table(name = "node_credential")
class NodeCredentialEntity {

    @Id
    UUID id;

    @Column(name = "node_name", nullable = false)
    String nodeName;

    @Column(name = "secret_sha256", nullable = false, unique = true)
    String secretSha256;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    Map<String, String> labels;

    @Column(name = "join_token_id", nullable = false)
    UUID joinTokenId;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    @Column(name = "revoked_by")
    String revokedBy;
}
