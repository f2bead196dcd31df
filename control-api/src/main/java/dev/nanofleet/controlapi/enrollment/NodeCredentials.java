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
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * How long a credential found active is taken as such from memory: a node calls several times a second, and each
     * call would otherwise cost a transaction and a query. Revoking a node forgets its credential at once on this
     * replica; another replica of control-api refuses it at most this long later.
     */
    static final Duration CHECKED_FOR = Duration.ofSeconds(30);

    private final EntityManager em;
    private final Clock clock;
    private final JoinTokens joinTokens;
    private final TransactionSynchronizationRegistry transactions;
    /** By the credential's SHA-256, as stored: the secret itself is never kept. */
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private volatile Instant nextSweep = Instant.MIN;

    NodeCredentials(EntityManager em, Clock clock, JoinTokens joinTokens,
            TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.clock = clock;
        this.joinTokens = joinTokens;
        this.transactions = transactions;
    }

    /**
     * Trades one use of the join token for a new credential of the named node: the one the node proposed, or a new one.
     * The same enrollment repeated with the credential it proposed (its answer was lost) gets the same answer and takes
     * no second use.
     *
     * @throws ProblemException 400 naming bad fields (a proposed credential in use by another enrollment too), 401
     *         for a join token that cannot be used (without saying why), 409 when the name already has another active
     *         credential (the use is then not taken)
     */
    @Transactional
    public NodeEnrollment.Enrolled enroll(NodeEnrollment enrollment) {
        List<FieldError> errors = JoinTokenRules.check(enrollment);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String name = enrollment.name();
        String proposed = enrollment.credential();
        if (proposed != null && isRepeated(enrollment)) {
            LOG.infof("event=node.enrollment.repeated node=%s", name);
            return new NodeEnrollment.Enrolled(name, proposed);
        }
        JoinTokens.Consumed token = joinTokens.consume(enrollment.joinToken());
        if (active(name) != null) {
            throw nameTaken(name);
        }
        String secret = proposed != null ? proposed : BearerSecret.NODE_CREDENTIAL.generate();
        if (proposed != null && credentialInUse(BearerSecret.sha256(proposed))) {
            // 256 random bits never collide: this one was copied, and one credential must name one node
            throw ProblemException.invalid(List.of(new FieldError("credential",
                    "is in use already: make a new one (256 random bits) for this node")));
        }
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

    /**
     * The node of a credential {@link #authenticate} found active within the last {@link #CHECKED_FOR}, answered from
     * memory without a transaction or a thread switch; null when it must be read ({@link #authenticate}).
     */
    public NodeCredentialPrincipal recentlyChecked(String secret) {
        if (!BearerSecret.NODE_CREDENTIAL.wellFormed(secret)) {
            return null;
        }
        Checked c = checked.get(BearerSecret.sha256(secret));
        return c != null && clock.instant().isBefore(c.until()) ? c.principal() : null;
    }

    /**
     * The node whose credential this is, if it is active; records its use at most once a minute. What it finds is
     * remembered for {@link #CHECKED_FOR} ({@link #recentlyChecked}).
     */
    @Transactional
    public NodeCredentialPrincipal authenticate(String secret) {
        if (!BearerSecret.NODE_CREDENTIAL.wellFormed(secret)) {
            throw BearerRejected.because(BearerSecret.NODE_CREDENTIAL.malformed());
        }
        String hash = BearerSecret.sha256(secret);
        List<NodeCredentialEntity> found = em.createQuery("""
                SELECT c FROM NodeCredentialEntity c WHERE c.secretSha256 = :hash AND c.revokedAt IS NULL""",
                NodeCredentialEntity.class).setParameter("hash", hash).getResultList();
        if (found.isEmpty()) {
            throw BearerRejected.because(REVOKED);
        }
        NodeCredentialEntity credential = found.getFirst();
        Instant now = clock.instant();
        if (credential.lastUsedAt == null || credential.lastUsedAt.plus(LAST_USED_PRECISION).isBefore(now)) {
            credential.lastUsedAt = now;
        }
        NodeCredentialPrincipal principal = new NodeCredentialPrincipal(credential.nodeName, credential.id);
        remember(hash, principal, now);
        return principal;
    }

    private void remember(String hash, NodeCredentialPrincipal principal, Instant now) {
        if (now.isAfter(nextSweep)) {
            // credentials no longer used (their nodes gone) leave; at most one entry per credential in use remains
            nextSweep = now.plus(CHECKED_FOR);
            checked.values().removeIf(c -> !now.isBefore(c.until()));
        }
        checked.put(hash, new Checked(principal, now.plus(CHECKED_FOR)));
    }

    /** The node's credentials are no longer taken from memory, now and once the caller's transaction ended. */
    private void forget(String nodeName) {
        checked.values().removeIf(c -> c.principal().nodeName().equals(nodeName));
        // a request checked between this and the revocation's commit would remember the credential again
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                checked.values().removeIf(c -> c.principal().nodeName().equals(nodeName));
            }
        });
    }

    private record Checked(NodeCredentialPrincipal principal, Instant until) {
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
        forget(nodeName);
        if (revoked > 0) {
            LOG.infof("event=node-credential.revoked node=%s actor=%s", nodeName, actor);
        }
        return revoked > 0;
    }

    /**
     * Whether this exact enrollment took its use already: the name's active credential is the proposed one and came
     * from this join token. Only the node that proposed the credential knows it, so nobody else can repeat it.
     */
    private boolean isRepeated(NodeEnrollment enrollment) {
        NodeCredentialEntity existing = active(enrollment.name());
        return existing != null && existing.secretSha256.equals(BearerSecret.sha256(enrollment.credential()))
                && joinTokens.idOf(enrollment.joinToken()).filter(existing.joinTokenId::equals).isPresent();
    }

    private boolean credentialInUse(String secretSha256) {
        return !em.createQuery("SELECT c.id FROM NodeCredentialEntity c WHERE c.secretSha256 = :hash", UUID.class)
                .setParameter("hash", secretSha256).setMaxResults(1).getResultList().isEmpty();
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
