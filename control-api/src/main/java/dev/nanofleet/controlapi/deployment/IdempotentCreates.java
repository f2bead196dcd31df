package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.Sha256;
import dev.nanofleet.controlapi.security.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Creates under an {@code Idempotency-Key}, as Stripe's API does: a retry with the same key and the same request
 * within 24 hours gets the first answer again instead of a second deployment; the same key with another request is
 * refused. The key is claimed and the answer stored in the transaction that creates the deployment, so either both
 * exist or neither; two concurrent requests with one key meet at the key's primary key, and the second answers what the
 * first stored.
 */
@ApplicationScoped
public class IdempotentCreates {

    public static final Duration KEPT = Duration.ofHours(24);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** The answer to replay: status, Location and the JSON body of the first response. */
    public record Answer(int status, String location, String body, boolean replayed) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final ObjectMapper json;

    IdempotentCreates(EntityManager em, Clock clock, ObjectMapper json) {
        this.em = em;
        this.clock = clock;
        this.json = json;
    }

    /** Checks the header's shape: 1 to 255 visible ASCII characters (a UUID is the usual choice). */
    public static void validate(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.invalid(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to 255 visible ASCII characters, e.g. a UUID")));
        }
    }

    /**
     * The stored answer for the key, or the answer of {@code create} (run now, in this transaction) stored under it.
     *
     * @param create makes the deployment and returns its view
     * @param location the created resource's URI for a view
     */
    @Transactional
    public Answer create(Tenant tenant, String key, Object request, Function<Tenant, DeploymentView> create,
            Function<DeploymentView, String> location) {
        String hash = Sha256.hex(write(request));
        IdempotencyKeyEntity.Id id = new IdempotencyKeyEntity.Id(tenant.id(), key);
        IdempotencyKeyEntity stored = em.find(IdempotencyKeyEntity.class, id);
        Instant now = clock.instant();
        if (stored != null && stored.createdAt.isAfter(now.minus(KEPT))) {
            return replay(stored, hash);
        }
        if (stored != null) {
            em.remove(stored); // expired: the key is free again
            em.flush();
        }
        // claim the key first: a concurrent first use waits on the primary key here until this transaction ends, then
        // fails and answers what this one stored (had it created first, it would fail on the deployment's name instead)
        IdempotencyKeyEntity row = new IdempotencyKeyEntity();
        row.id = id;
        row.requestSha256 = hash;
        row.body = "";
        row.createdAt = now;
        em.persist(row);
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new ConcurrentFirstUse(e);
        }
        DeploymentView view = create.apply(tenant);
        row.status = 201;
        row.location = location.apply(view);
        row.body = write(view);
        return new Answer(row.status, row.location, row.body, false);
    }

    /** After {@link ConcurrentFirstUse}: the answer the other request stored. */
    @Transactional
    public Answer stored(Tenant tenant, String key, Object request) {
        IdempotencyKeyEntity stored = em.find(IdempotencyKeyEntity.class,
                new IdempotencyKeyEntity.Id(tenant.id(), key));
        if (stored == null) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "a request with this Idempotency-Key is in progress; retry it");
        }
        return replay(stored, Sha256.hex(write(request)));
    }

    private static Answer replay(IdempotencyKeyEntity stored, String hash) {
        if (!stored.requestSha256.equals(hash)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + stored.id.key()
                    + "' was used at " + stored.createdAt + " for a different request; use a new key");
        }
        return new Answer(stored.status, stored.location, stored.body, true);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** Another request with the same key stored its answer first. */
    public static final class ConcurrentFirstUse extends RuntimeException {
        ConcurrentFirstUse(Throwable cause) {
            super("idempotency key taken concurrently", cause);
        }
    }
}
