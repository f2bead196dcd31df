package dev.nanofleet.controlapi.deployment;

import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Runs a transaction again when it lost a race on a row's version. Delete and scale set a target state (deleted, N
 * replicas), so running them again on fresh rows is safe; a placement or node report that changed an instance between
 * their read and their write is then kept, and the tenant gets an answer instead of a conflict it did not cause.
 */
public final class ConcurrentChange {

    static final int ATTEMPTS = 3;
    private static final String DEADLOCK = "40P01";

    private static final Logger LOG = Logger.getLogger(ConcurrentChange.class);

    private ConcurrentChange() {
    }

    /**
     * Whether the failure, or one of its causes, is a lost race: on a row's version, or a deadlock PostgreSQL broke
     * (a change holding a deployment's row lock meets one holding its tenant's, e.g. a scale-up beside a suspension).
     */
    public static boolean isVersionConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException
                    || t instanceof SQLException sql && DEADLOCK.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** @throws RuntimeException when every attempt lost (answered 409 by the problem mappers) */
    static <T> T retry(Supplier<T> transaction) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (!isVersionConflict(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("concurrent change, attempt %d of %d: %s", attempt, ATTEMPTS, e.getMessage());
            }
        }
    }
}
