package dev.nanofleet.controlapi.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable revision of a deployment: its spec and who made it, how and why. */
@Entity
@Table(name = "deployment_revision")
@IdClass(DeploymentRevisionEntity.Key.class)
public class DeploymentRevisionEntity {

    /** Why a revision was made. */
    public enum Cause {
        CREATE, UPDATE, ROLLBACK, AUTO_ROLLBACK, RESTART
    }

    public record Key(UUID deploymentId, int number) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "deployment_id")
    public UUID deploymentId;

    @Id
    public int number;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public RevisionSpec spec;

    /** The spec fields that differ from the revision before (API names; {@code secrets.NAME} for a secret). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> changed;

    @Column(nullable = false)
    public String cause;

    @Column(name = "rollback_of")
    public Integer rollbackOf;

    public String actor;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static DeploymentRevisionEntity of(DeploymentEntity d, int number, RevisionSpec spec, List<String> changed,
            Cause cause, Integer rollbackOf, String actor, Instant now) {
        DeploymentRevisionEntity r = new DeploymentRevisionEntity();
        r.deploymentId = d.id;
        r.number = number;
        r.spec = spec;
        r.changed = List.copyOf(changed);
        r.cause = cause.name();
        r.rollbackOf = rollbackOf;
        r.actor = actor;
        r.createdAt = now;
        return r;
    }

    public Cause cause() {
        return Cause.valueOf(cause);
    }
}
