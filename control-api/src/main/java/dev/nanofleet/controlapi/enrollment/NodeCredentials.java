package dev.nanofleet.controlapi.enrollment;

import dev.nanofleet.controlapi.node.NodeIdentities;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.BearerRejected;
import dev.nanofleet.controlapi.security.BearerSecret;
import dev.nanofleet.nodeapi.NodeEnrollment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The nodes' own credentials: issued at enrollment in exchange for one use of a join token, checked on every node API
 * request, revoked when an operator removes the node. At most one is active per node name (a unique index), so a name
 * in use cannot be enrolled a second time.
 */
@ApplicationScoped
public class NodeCredentials implements NodeIdentities {

    /** Last use is recorded at most this often per credential: a node calls several times a second. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    static final String REVOKED = "the node credential is not valid: unknown, or revoked when an operator removed the"
            + " node; enroll again with a new join token";

    private static final Logger LOG = Logger.getLogger(NodeCredentials.class);

    private final EntityManager em;
    private final Clock clock;
    private final JoinTokens joinTokens;

    NodeCredentials(EntityManager em, Clock clock, JoinTokens joinTokens) {
        this.em = em;
        this.clock = clock;
        this.joinTokens = joinTokens;
    }

    /**
     * Trades one use of the join token for a new credential of the named node.
     *
     * @throws ProblemException 400 naming bad fields, 401 for a join token that cannot be used (without saying why),
     *         409 when the name already has an active credential (the use is then not taken)
     */
    @Transactional
    public NodeEnrollment.Enrolled enroll(NodeEnrollment enrollment) {
        List<FieldError> errors = JoinTokenRules.check(enrollment);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JoinTokens.Consumed token = joinTokens.consume(enrollment.joinToken());
        String name = enrollment.name();
        if (active(name) != null) {
            throw nameTaken(name);
        }
        String secret = BearerSecret.NODE_CREDENTIAL.generate();
        NodeCredentialEntity credential = new NodeCredentialEntity();
        credential.id = UUID.randomUUID();
        credential.nodeName = name;
        credential.secretSha256 = BearerSecret.sha256(secret);
        credential.labels = new TreeMap<>(token.labels());
        credential.joinTokenId = token.tokenId();
        credential.createdAt = clock.instant();
        try {
            em.persist(credential);
            em.flush();
        } catch (PersistenceException e) {
            // the same name enrolled at the same moment: the unique index let one of the two in
            throw nameTaken(name);
        }
        LOG.infof("event=node.enrolled node=%s credential=%s joinToken=%s labels=%s", name, credential.id,
                token.tokenId(), credential.labels);
        return new NodeEnrollment.Enrolled(name, secret);
    }

    /** The node whose credential this is, if it is active; records its use at most once a minute. */
    @Transactional
    public NodeCredentialPrincipal authenticate(String secret) {
        if (!BearerSecret.NODE_CREDENTIAL.wellFormed(secret)) {
            throw BearerRejected.because(BearerSecret.NODE_CREDENTIAL.malformed());
        }
        List<NodeCredentialEntity> found = em.createQuery("""
                SELECT c FROM NodeCredentialEntity c WHERE c.secretSha256 = :hash AND c.revokedAt IS NULL""",
                NodeCredentialEntity.class).setParameter("hash", BearerSecret.sha256(secret)).getResultList();
        if (found.isEmpty()) {
            throw BearerRejected.because(REVOKED);
        }
        NodeCredentialEntity credential = found.getFirst();
        Instant now = clock.instant();
        if (credential.lastUsedAt == null || credential.lastUsedAt.plus(LAST_USED_PRECISION).isBefore(now)) {
            credential.lastUsedAt = now;
        }
        return new NodeCredentialPrincipal(credential.nodeName, credential.id);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, String> stampedLabels(String nodeName) {
        NodeCredentialEntity credential = active(nodeName);
        return credential == null ? Map.of() : Map.copyOf(credential.labels);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revoke(String nodeName, String actor) {
        int revoked = em.createQuery("""
                UPDATE NodeCredentialEntity c SET c.revokedAt = :now, c.revokedBy = :actor
                WHERE c.nodeName = :name AND c.revokedAt IS NULL""")
                .setParameter("now", clock.instant()).setParameter("actor", actor).setParameter("name", nodeName)
                .executeUpdate();
        if (revoked > 0) {
            LOG.infof("event=node-credential.revoked node=%s actor=%s", nodeName, actor);
        }
        return revoked > 0;
    }

    private NodeCredentialEntity active(String nodeName) {
        return em.createQuery("""
                SELECT c FROM NodeCredentialEntity c WHERE c.nodeName = :name AND c.revokedAt IS NULL""",
                NodeCredentialEntity.class).setParameter("name", nodeName).getResultStream().findFirst().orElse(null);
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(ProblemType.CONFLICT, "node '" + name + "' is enrolled already; an operator"
                + " removes it (DELETE /v1/nodes/" + name + ") before the name can enroll again");
    }
}
