package dev.nanofleet.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Polls a condition until it holds or a deadline passes; never sleep-and-hope in a test.
 *
 * <p>
 * Polls every 100 ms at first, backing off to 250 ms. On timeout it throws an
 * {@link AssertionError} naming the description (and the last exception the condition threw, as the
 * cause). Exceptions thrown by the condition count as "not yet".
 */
public final class Await {

    private Await() {
    }

    /**
     * Waits until {@code condition} returns true. Exceptions count as false. Takes any lambda
     * returning a boolean, also one that throws checked exceptions; pass a {@code BooleanSupplier} as
     * {@code supplier::getAsBoolean} and a {@code Callable<Boolean>} as {@code callable::call}.
     */
    public static void until(Duration deadline, String description, Condition condition) {
        value(deadline, description, () -> condition.check() ? Boolean.TRUE : null);
    }

    /** Waits until {@code body} completes without throwing (e.g. a block of AssertJ assertions). */
    public static void untilAsserted(Duration deadline, String description, ThrowingRunnable body) {
        value(deadline, description, () -> {
            body.run();
            return Boolean.TRUE;
        });
    }

    /** Waits until {@code supplier} returns a non-null value, and returns it. */
    public static <T> T value(Duration deadline, String description, Callable<T> supplier) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Throwable last = null;
        long sleep = 100;
        while (true) {
            try {
                T v = supplier.call();
                if (v != null) {
                    return v;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            } catch (Exception | AssertionError e) {
                last = e;
            }
            long now = System.nanoTime();
            if (now >= end) {
                AssertionError err = new AssertionError(
                        "timed out after " + deadline.toMillis() + " ms waiting for " + description
                                + (last != null ? " (last failure: " + last + ")" : ""));
                if (last != null) {
                    err.initCause(last);
                }
                throw err;
            }
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, (end - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
            sleep = Math.min(250, sleep + 50);
        }
    }

    /** A condition that may throw (which counts as "not yet"). */
    @FunctionalInterface
    public interface Condition {
        boolean check() throws Exception;
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
