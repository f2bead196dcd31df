package dev.nanofleet.controlapi.deployment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** Reads a deployment's revisions; they are written only by {@link DeploymentService} and {@link Rollouts}. */
@ApplicationScoped
public class Revisions {

    private final EntityManager em;

    Revisions(EntityManager em) {
        this.em = em;
    }

    /** The spec of one revision (the entity manager keeps it for the rest of the transaction). */
    public RevisionSpec spec(DeploymentEntity d, int number) {
        DeploymentRevisionEntity revision = find(d, number);
        if (revision == null) {
            throw new IllegalStateException("deployment " + d.id + " has no revision " + number);
        }
        return revision.spec;
    }

    DeploymentRevisionEntity find(DeploymentEntity d, int number) {
        return em.find(DeploymentRevisionEntity.class, new DeploymentRevisionEntity.Key(d.id, number));
    }

    /** Newest first. */
    List<DeploymentRevisionEntity> all(DeploymentEntity d) {
        return em.createQuery("""
                SELECT r FROM DeploymentRevisionEntity r WHERE r.deploymentId = :id ORDER BY r.number DESC""",
                DeploymentRevisionEntity.class).setParameter("id", d.id).getResultList();
    }

    /** Stores the deployment's current spec as its next revision and makes the deployment run it. */
    DeploymentRevisionEntity add(DeploymentEntity d, List<String> changed, DeploymentRevisionEntity.Cause cause,
            Integer rollbackOf, String actor, Instant now) {
        int number = d.revision + (find(d, d.revision) == null ? 0 : 1);
        DeploymentRevisionEntity revision = DeploymentRevisionEntity.of(d, number, RevisionSpec.of(d), changed, cause,
                rollbackOf, actor, now);
        em.persist(revision);
        d.revision = number;
        return revision;
    }

}
