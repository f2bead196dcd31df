package dev.nanofleet.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.core.AssignmentFreshness;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.testsupport.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A watch notification runs a pass at once, which fetches; passes without news act on the list they have. */
class ReconcileLoopTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final AssignmentFreshness freshness = new AssignmentFreshness(Clock.systemUTC(), Duration.ofMinutes(5));
    private final List<Boolean> passes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final ReconcileLoop loop = new ReconcileLoop(fetch -> {
        passes.add(fetch);
        try {
            hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Reconciler.PassSummary(true, 0, 0, 0, 0, Duration.ZERO);
    }, freshness, executor);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private void awaitPasses(int n) {
        Await.until(Duration.ofSeconds(10), n + " passes", () -> passes.size() >= n);
    }

    @Test
    void a_notification_runs_a_pass_at_once_that_fetches_the_list() {
        loop.connected();
        awaitPasses(1);
        loop.requestPass();
        awaitPasses(2);

        loop.changed(42);
        awaitPasses(3);

        assertThat(passes).containsExactly(true, false, true);
    }

    @Test
    void without_a_watch_every_pass_fetches() {
        loop.requestPass();
        awaitPasses(1);
        loop.requestPass();
        awaitPasses(2);
        loop.disconnected("gone");
        loop.requestPass();
        awaitPasses(3);

        assertThat(passes).containsExactly(true, true, true);
    }

    @Test
    void notifications_during_a_pass_fold_into_one_more_pass() throws Exception {
        hold = new CountDownLatch(1);
        loop.connected();
        awaitPasses(1);
        for (int i = 0; i < 10; i++) {
            loop.changed(i);
        }
        hold.countDown();
        awaitPasses(2);
        // one more pass was queued by the burst; nothing else is
        executor.submit(() -> null).get(10, TimeUnit.SECONDS);
        executor.submit(() -> null).get(10, TimeUnit.SECONDS);

        assertThat(passes).containsExactly(true, true);
    }
}
