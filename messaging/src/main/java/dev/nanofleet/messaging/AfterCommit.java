package dev.nanofleet.messaging;

import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes the relay once the transaction that appended to the outbox has completed. Woken at append time, it would look
 * before the rows are visible and then sleep a whole poll interval.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** A wake-up for {@link Outbox}: runs {@code wake} after the current transaction, or at once outside one. */
    public static Runnable wake(TransactionSynchronizationRegistry transactions, Runnable wake) {
        return () -> {
            if (transactions.getTransactionKey() == null) {
                wake.run();
                return;
            }
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    wake.run();
                }
            });
        };
    }
}
