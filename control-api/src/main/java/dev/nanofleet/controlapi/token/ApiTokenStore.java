package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.BearerRejected;
import dev.nanofleet.controlapi.security.BearerSecret;
import dev.nanofleet.controlapi.security.CallerIdentity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * API tokens: made, listed and revoked by their owner (a tenant, or the operators), and checked on every request that
 * presents one. Revocation is a column the check reads, so it takes effect on the next request.
 */
@ApplicationScoped
public class ApiTokenStore {

    /** Enough for every CI system of a team; more usually means tokens are made per run and never revoked. */
    static final int MAX_ACTIVE_PER_OWNER = 100;

    private static final Logger LOG = Logger.getLogger(ApiTokenStore.class);

    private final EntityManager em;
    private final Clock clock;

    ApiTokenStore(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** The token whose secret this is, if it may be used now; records that it was used. */
    @Transactional
    public ApiTokenPrincipal authenticate(String secret) {
        if (!BearerSecret.API_TOKEN.wellFormed(secret)) {
            throw BearerRejected.because(BearerSecret.API_TOKEN.malformed());
        }
        List<ApiTokenEntity> found = em
                .createQuery("SELECT t FROM ApiTokenEntity t WHERE t.secretSha256 = :hash", ApiTokenEntity.class)
                .setParameter("hash", BearerSecret.sha256(secret)).getResultList();
        if (found.isEmpty()) {
            throw BearerRejected.because("the API token is not known");
        }
        ApiTokenEntity token = found.getFirst();
        Instant now = clock.instant();
        if (token.revokedAt != null) {
            throw BearerRejected.because("the API token " + token.id + " was revoked at " + token.revokedAt);
        }
        if (!token.expiresAt.isAfter(now)) {
            throw BearerRejected.because("the API token " + token.id + " expired at " + token.expiresAt);
        }
        token.lastUsedAt = now;
        return new ApiTokenPrincipal(token.id, token.tenant, token.operator, EnumSet.copyOf(token.scopes),
                token.expiresAt);
    }

    /**
     * A new token for the creator's tenant (or, for an operator acting as one, an operator token), holding no more than
     * the creator holds.
     */
    @Transactional
    public TokenRequests.Created create(CallerIdentity creator, TokenRequests.Create request) {
        Instant now = clock.instant();
        List<FieldError> errors = TokenRules.check(request, creator, now);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (active(creator).size() >= MAX_ACTIVE_PER_OWNER) {
            throw new ProblemException(ProblemType.CONFLICT, "at most " + MAX_ACTIVE_PER_OWNER
                    + " tokens may be active at once; revoke one first");
        }
        String secret = BearerSecret.API_TOKEN.generate();
        ApiTokenEntity token = new ApiTokenEntity();
        token.id = UUID.randomUUID();
        token.secretSha256 = BearerSecret.sha256(secret);
        token.tenant = creator.tenant();
        token.operator = creator.tenant() == null;
        token.name = request.name();
        token.scopes = List.copyOf(EnumSet.copyOf(request.scopes()));
        token.createdBy = creator.actor();
        token.createdAt = now;
        token.expiresAt = TokenRules.expiry(request, creator, now);
        em.persist(token);
        LOG.infof("event=token.created token=%s tenant=%s operator=%s scopes=%s expires=%s actor=%s", token.id,
                token.tenant, token.operator, token.scopes, token.expiresAt, creator.actor());
        return TokenRequests.Created.of(token, secret);
    }

    /** The owner's tokens that are not revoked, newest first (expired ones too, so their owner sees them lapse). */
    @Transactional
    public List<TokenRequests.View> list(CallerIdentity owner) {
        return active(owner).stream().map(TokenRequests.View::of).toList();
    }

    /** Revokes one of the owner's tokens; another owner's, or a malformed id, is not found. Revoking twice is fine. */
    @Transactional
    public void revoke(CallerIdentity owner, String id) {
        ApiTokenEntity token = Ids.parse(id).map(uuid -> em.find(ApiTokenEntity.class, uuid)).orElse(null);
        if (token == null || !ownedBy(token, owner)) {
            throw ProblemException.notFound("token '" + id + "'");
        }
        if (token.revokedAt == null) {
            token.revokedAt = clock.instant();
            LOG.infof("event=token.revoked token=%s tenant=%s actor=%s", token.id, token.tenant, owner.actor());
        }
    }

    private List<ApiTokenEntity> active(CallerIdentity owner) {
        if (owner.tenant() == null) {
            return em.createQuery("""
                    SELECT t FROM ApiTokenEntity t WHERE t.revokedAt IS NULL AND t.operator = true
                    ORDER BY t.createdAt DESC, t.id""", ApiTokenEntity.class).getResultList();
        }
        return em.createQuery("""
                SELECT t FROM ApiTokenEntity t WHERE t.revokedAt IS NULL AND t.tenant = :tenant
                ORDER BY t.createdAt DESC, t.id""", ApiTokenEntity.class).setParameter("tenant", owner.tenant())
                .getResultList();
    }

    private static boolean ownedBy(ApiTokenEntity token, CallerIdentity owner) {
        return owner.tenant() == null ? token.operator : owner.tenant().equals(token.tenant);
    }
}
