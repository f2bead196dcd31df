package dev.nanofleet.controlapi.domain;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.controlapi.deployment.DeploymentEntity;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.secrets.SecretBox;
import dev.nanofleet.controlapi.security.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Tenants' custom domains: the one owner of table {@code custom_domain}. A hostname belongs to one live deployment in
 * the fleet; a deleted deployment's hostnames are free again. Keys are sealed before they are stored and opened only
 * for the edge ({@link #certificateForEdge}).
 */
@ApplicationScoped
public class CustomDomains {

    private static final Logger LOG = Logger.getLogger(CustomDomains.class);
    /** Like Cloud Run's domain mappings: enough names per service, bounded so one tenant cannot flood the edge. */
    public static final int MAX_PER_DEPLOYMENT = 20;

    /** A domain's certificate and key as the edge loads them. */
    @Schema(name = "EdgeCertificate")
    public record EdgeCertificate(@Schema(required = true) String hostname,
            @Schema(required = true) String certificateSha256,
            @Schema(required = true, description = "PEM, the leaf first") String certificate,
            @Schema(required = true, description = "PEM") String privateKey) {
    }

    private final EntityManager em;
    private final SecretBox secrets;
    private final Clock clock;
    private final String appsDomain;

    CustomDomains(EntityManager em, SecretBox secrets, Clock clock, ControlApiConfig config) {
        this.em = em;
        this.secrets = secrets;
        this.clock = clock;
        this.appsDomain = config.appsDomain();
    }

    /** Adds the hostname to the deployment, or replaces its certificate when the deployment has it already. */
    @Transactional
    public Added put(Tenant tenant, String deploymentId, CustomDomainRequest request) {
        // locked: a deletion of the deployment in flight finishes first, and the count below cannot race another add
        DeploymentEntity deployment = deployment(tenant, deploymentId, LockModeType.PESSIMISTIC_WRITE);
        if (deployment.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "the deployment is deleted");
        }
        Instant now = clock.instant();
        CustomDomainRules.Result result = request == null
                ? CustomDomainRules.check(null, null, null, appsDomain, now)
                : CustomDomainRules.check(request.hostname(), request.certificate(), request.privateKey(),
                        appsDomain, now);
        if (!result.valid()) {
            throw ProblemException.invalid(result.errors());
        }
        CustomDomainRules.Checked checked = result.checked();
        CustomDomainEntity existing = em.find(CustomDomainEntity.class, checked.hostname(),
                LockModeType.PESSIMISTIC_WRITE);
        boolean created = existing == null || !existing.deploymentId.equals(deployment.id);
        if (existing != null && created) {
            DeploymentEntity holder = em.find(DeploymentEntity.class, existing.deploymentId);
            if (holder != null && !holder.deleted()) {
                // the same answer whoever holds it: another tenant's deployments are not to be discovered
                throw new ProblemException(ProblemType.CONFLICT, "hostname " + checked.hostname()
                        + " is already attached to another deployment");
            }
            em.remove(existing);
            em.flush();
        }
        if (created && count(deployment.id) >= MAX_PER_DEPLOYMENT) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "a deployment has at most " + MAX_PER_DEPLOYMENT + " custom domains");
        }
        CustomDomainEntity domain = created ? new CustomDomainEntity() : existing;
        if (created) {
            domain.hostname = checked.hostname();
            domain.tenant = tenant.id();
            domain.deploymentId = deployment.id;
            domain.createdAt = now;
        }
        domain.certificatePem = checked.certificatePem();
        domain.privateKeySealed = secrets.seal(checked.privateKeyPem(),
                CustomDomainEntity.sealedFor(domain.hostname, domain.deploymentId));
        domain.certificateSha256 = checked.certificateSha256();
        domain.issuer = checked.leaf().getIssuerX500Principal().getName();
        domain.notAfter = checked.leaf().getNotAfter().toInstant();
        domain.updatedAt = now;
        if (created) {
            insert(domain);
        }
        LOG.infof("custom domain %s %s for deployment %s of tenant %s (certificate %s, expires %s)",
                domain.hostname, created ? "added" : "renewed", deployment.id, tenant.id(),
                domain.certificateSha256.substring(0, 12), domain.notAfter);
        return new Added(CustomDomainView.of(domain), created);
    }

    /** What {@link #put} did: {@code created} is false for a renewal. */
    public record Added(CustomDomainView domain, boolean created) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CustomDomainView> list(Tenant tenant, String deploymentId) {
        DeploymentEntity deployment = deployment(tenant, deploymentId, LockModeType.NONE);
        return em.createQuery("SELECT d FROM CustomDomainEntity d WHERE d.deploymentId = :id ORDER BY d.hostname",
                CustomDomainEntity.class).setParameter("id", deployment.id).getResultList().stream()
                .map(CustomDomainView::of).toList();
    }

    @Transactional
    public void remove(Tenant tenant, String deploymentId, String hostname) {
        DeploymentEntity deployment = deployment(tenant, deploymentId, LockModeType.NONE);
        CustomDomainEntity domain = stored(hostname);
        if (domain == null || !domain.deploymentId.equals(deployment.id)) {
            throw ProblemException.notFound("custom domain '" + hostname + "' of deployment '" + deploymentId + "'");
        }
        em.remove(domain);
        LOG.infof("custom domain %s removed from deployment %s of tenant %s", domain.hostname, deployment.id,
                tenant.id());
    }

    /** The hostnames and certificate fingerprints of the given deployments, for the edge's routes. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<UUID, List<CustomDomainView>> ofDeployments(Collection<UUID> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT d FROM CustomDomainEntity d WHERE d.deploymentId IN :ids ORDER BY d.hostname",
                CustomDomainEntity.class).setParameter("ids", deploymentIds).getResultList().stream()
                .map(CustomDomainView::of).collect(Collectors.groupingBy(CustomDomainView::deploymentId));
    }

    /** The certificate and opened key of a hostname a live deployment has: for the edge only. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EdgeCertificate> certificateForEdge(String hostname) {
        CustomDomainEntity domain = stored(hostname);
        if (domain == null) {
            return Optional.empty();
        }
        DeploymentEntity deployment = em.find(DeploymentEntity.class, domain.deploymentId);
        if (deployment == null || deployment.deleted()) {
            return Optional.empty();
        }
        String key = secrets.open(domain.privateKeySealed,
                CustomDomainEntity.sealedFor(domain.hostname, domain.deploymentId));
        return Optional.of(new EdgeCertificate(domain.hostname, domain.certificateSha256, domain.certificatePem,
                key));
    }

    private DeploymentEntity deployment(Tenant tenant, String id, LockModeType lock) {
        DeploymentEntity deployment = Ids.parse(id).map(u -> em.find(DeploymentEntity.class, u, lock)).orElse(null);
        if (deployment == null || !deployment.tenant.equals(tenant.id())) {
            throw ProblemException.notFound("deployment '" + id + "'");
        }
        return deployment;
    }

    /** The row of {@code hostname} as a client wrote it (hostnames are stored in lower case); null when none. */
    private CustomDomainEntity stored(String hostname) {
        return hostname == null ? null : em.find(CustomDomainEntity.class, hostname.toLowerCase(java.util.Locale.ROOT));
    }

    private long count(UUID deploymentId) {
        return em.createQuery("SELECT count(d) FROM CustomDomainEntity d WHERE d.deploymentId = :id", Long.class)
                .setParameter("id", deploymentId).getSingleResult();
    }

    /**
     * Inserts unless another transaction took the hostname since it was read: the primary key decides, and the loser
     * gets the same 409 as if it had seen the row.
     */
    private void insert(CustomDomainEntity d) {
        int inserted = em.createNativeQuery("""
                INSERT INTO custom_domain (hostname, tenant, deployment_id, certificate_pem, private_key_sealed,
                    certificate_sha256, issuer, not_after, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (hostname) DO NOTHING""")
                .setParameter(1, d.hostname).setParameter(2, d.tenant).setParameter(3, d.deploymentId)
                .setParameter(4, d.certificatePem).setParameter(5, d.privateKeySealed)
                .setParameter(6, d.certificateSha256).setParameter(7, d.issuer).setParameter(8, d.notAfter)
                .setParameter(9, d.createdAt).setParameter(10, d.updatedAt).executeUpdate();
        if (inserted == 0) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "hostname " + d.hostname + " is already attached to another deployment");
        }
    }
}
