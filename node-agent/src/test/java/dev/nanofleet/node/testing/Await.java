package dev.nanofleet.node.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, polling briefly. No fixed sleeps in tests. */
public final class Await {
    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError(
                "timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last: " + last);
    }

    public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }
}
