package dev.nanofleet.controlapi.enrollment;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.BearerSecret;
import dev.nanofleet.controlapi.security.CallerIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Join tokens: made, listed and revoked by operators, and consumed one use per enrollment. The secret is shown once
 * and stored as its SHA-256, as API tokens are ({@link BearerSecret}).
 */
@ApplicationScoped
public class JoinTokens {

    /** Tokens still usable at once; more usually means tokens are made per node and never used or revoked. */
    static final int MAX_USABLE = 100;
    /** The list shows the newest this many: expired and used-up tokens stay (to see them lapse) but not forever. */
    static final int LIST_LIMIT = 200;
    /** What every refused join token gets, whatever is wrong with it: telling which would help only a guesser. */
    static final String REFUSED = "the join token is not valid: unknown, expired, revoked or used up; ask an operator"
            + " for a new one";

    private static final Logger LOG = Logger.getLogger(JoinTokens.class);

    private final EntityManager em;
    private final Clock clock;

    JoinTokens(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public JoinTokenRequests.Created create(CallerIdentity operator, JoinTokenRequests.Create request) {
        List<FieldError> errors = JoinTokenRules.check(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Instant now = clock.instant();
        long usable = em.createQuery("""
                SELECT count(t) FROM JoinTokenEntity t
                WHERE t.revokedAt IS NULL AND t.usesLeft > 0 AND t.expiresAt > :now""", Long.class)
                .setParameter("now", now).getSingleResult();
        if (usable >= MAX_USABLE) {
            throw new ProblemException(ProblemType.CONFLICT, "at most " + MAX_USABLE
                    + " join tokens may be usable at once; revoke one first");
        }
        String secret = BearerSecret.JOIN_TOKEN.generate();
        JoinTokenEntity token = new JoinTokenEntity();
        token.id = UUID.randomUUID();
        token.secretSha256 = BearerSecret.sha256(secret);
        token.description = request.description();
        token.labels = request.labels() == null ? new TreeMap<>() : new TreeMap<>(request.labels());
        token.uses = JoinTokenRules.uses(request);
        token.usesLeft = token.uses;
        token.createdBy = operator.actor();
        token.createdAt = now;
        token.expiresAt = now.plus(JoinTokenRules.ttl(request));
        em.persist(token);
        LOG.infof("event=join-token.created token=%s uses=%d labels=%s expires=%s actor=%s", token.id, token.uses,
                token.labels, token.expiresAt, operator.actor());
        return JoinTokenRequests.Created.of(token, secret);
    }

    /** The tokens not revoked, newest first (expired and used-up ones too, so operators see them lapse). */
    @Transactional
    public List<JoinTokenRequests.View> list() {
        return em.createQuery("""
                SELECT t FROM JoinTokenEntity t WHERE t.revokedAt IS NULL ORDER BY t.createdAt DESC, t.id""",
                JoinTokenEntity.class).setMaxResults(LIST_LIMIT).getResultList().stream()
                .map(JoinTokenRequests.View::of).toList();
    }

    /** Revokes a token: no node enrolls with it any more. Unknown or malformed ids are not found; twice is fine. */
    @Transactional
    public void revoke(CallerIdentity operator, String id) {
        JoinTokenEntity token = Ids.parse(id).map(uuid -> em.find(JoinTokenEntity.class, uuid)).orElse(null);
        if (token == null) {
            throw ProblemException.notFound("join token '" + id + "'");
        }
        if (token.revokedAt == null) {
            token.revokedAt = clock.instant();
            LOG.infof("event=join-token.revoked token=%s actor=%s", token.id, operator.actor());
        }
    }

    /**
     * Takes one use of the token, in the caller's transaction: a conditional UPDATE, so two enrollments at once never
     * take more than it has (the second waits for the first's row lock, then re-checks {@code uses_left}). A rollback
     * of the caller's transaction gives the use back.
     *
     * @return the token's id and the labels it stamps
     * @throws ProblemException 401 for any token that cannot be used, without saying why
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Consumed consume(String secret) {
        if (!BearerSecret.JOIN_TOKEN.wellFormed(secret)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, REFUSED);
        }
        List<JoinTokenEntity> found = em
                .createQuery("SELECT t FROM JoinTokenEntity t WHERE t.secretSha256 = :hash", JoinTokenEntity.class)
                .setParameter("hash", BearerSecret.sha256(secret)).getResultList();
        if (found.isEmpty()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, REFUSED);
        }
        JoinTokenEntity token = found.getFirst();
        int taken = em.createNativeQuery("""
                UPDATE node_join_token SET uses_left = uses_left - 1
                WHERE id = :id AND uses_left > 0 AND revoked_at IS NULL AND expires_at > :now""")
                .setParameter("id", token.id).setParameter("now", clock.instant()).executeUpdate();
        if (taken == 0) {
            LOG.infof("event=join-token.refused token=%s", token.id);
            throw new ProblemException(ProblemType.UNAUTHORIZED, REFUSED);
        }
        return new Consumed(token.id, Map.copyOf(token.labels));
    }

    /** The id of the token with this secret, whatever its state (used up, expired, revoked); empty when unknown. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<UUID> idOf(String secret) {
        if (!BearerSecret.JOIN_TOKEN.wellFormed(secret)) {
            return Optional.empty();
        }
        return em.createQuery("SELECT t.id FROM JoinTokenEntity t WHERE t.secretSha256 = :hash", UUID.class)
                .setParameter("hash", BearerSecret.sha256(secret)).getResultStream().findFirst();
    }

    /** One use of a join token taken: which token, and the labels it stamps on the node. */
    record Consumed(UUID tokenId, Map<String, String> labels) {
    }
}
