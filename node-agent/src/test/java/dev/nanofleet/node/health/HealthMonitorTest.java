package dev.nanofleet.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.HealthChecks.Verdict;
import dev.nanofleet.node.core.HealthChecks.Watch;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.testsupport.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitor's scheduling with a scripted probe: no sleeps, every wait is on a condition with a deadline. */
class HealthMonitorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HealthCheck CHECK = new HealthCheck(HealthCheck.Type.TCP, 80, null, 0, 0, null, 60, 1, 0, 1);

    private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    private final Map<UUID, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private HealthMonitor monitor;

    /** Passes, after waiting for the instance's gate if it has one. */
    private final Probe probe = (target, timeout) -> {
        UUID id = target.instanceId();
        runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        inFlight.add(id);
        mostAtOnce.accumulateAndGet(inFlight.size(), Math::max);
        try {
            CountDownLatch gate = gates.get(id);
            if (gate != null) {
                gate.await();
            }
            return ProbeResult.pass("TCP connect to port 80 accepted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.fail("interrupted");
        } finally {
            inFlight.remove(id);
        }
    };

    private HealthMonitor monitor(int maxConcurrent) {
        monitor = new HealthMonitor(probe, Clock.systemUTC(), maxConcurrent, (type, result, took) -> observed.add(type
                + " " + (result.passed() ? "pass" : "fail")));
        monitor.listen(verdicts::add);
        return monitor;
    }

    @AfterEach
    void close() {
        gates.values().forEach(CountDownLatch::countDown);
        if (monitor != null) {
            monitor.close();
        }
    }

    private static Watch watch(UUID id, long run) {
        return new Watch(id, run, Isolation.SHARED, CHECK, "10.213.0.2", java.time.Instant.now());
    }

    private Verdict verdictFor(UUID id, long run) {
        return verdicts.stream().filter(v -> v.instanceId().equals(id) && v.run() == run).findFirst().orElse(null);
    }

    @Test
    void a_watched_run_is_checked_at_once_and_its_verdict_heard_and_counted() {
        HealthMonitor m = monitor(4);
        UUID id = UUID.randomUUID();

        m.watch(watch(id, 1));

        Verdict verdict = Await.value(WAIT, "a verdict", () -> verdictFor(id, 1));
        assertThat(verdict.health()).isEqualTo(InstanceHealth.HEALTHY);
        assertThat(observed).contains("TCP pass");
    }

    @Test
    void watching_the_same_run_again_changes_nothing_and_a_new_run_starts_over() {
        HealthMonitor m = monitor(4);
        UUID id = UUID.randomUUID();
        m.watch(watch(id, 1));
        Await.value(WAIT, "run 1 healthy", () -> verdictFor(id, 1));

        m.watch(watch(id, 1));
        m.watch(watch(id, 2));

        Await.value(WAIT, "run 2 healthy", () -> verdictFor(id, 2));
        // the hour-long interval leaves run 1 with its first check only; run 2 got its own first check
        assertThat(runs.get(id).get()).isEqualTo(2);
        assertThat(m.watching()).isEqualTo(1);
        m.unwatch(id);
        assertThat(m.watching()).isZero();
    }

    @Test
    void a_slow_check_delays_no_other_instance_and_checks_run_at_most_the_bound_at_once() {
        HealthMonitor m = monitor(2);
        UUID slow = UUID.randomUUID();
        UUID slower = UUID.randomUUID();
        UUID quick = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        gates.put(slow, new CountDownLatch(1));
        gates.put(slower, new CountDownLatch(1));

        m.watch(watch(quick, 1));
        Await.value(WAIT, "the quick one's verdict", () -> verdictFor(quick, 1));
        m.watch(watch(slow, 1));
        m.watch(watch(slower, 1));
        Await.until(WAIT, "both slow checks in flight", () -> inFlight.containsAll(List.of(slow, slower)));
        m.watch(watch(waiting, 1));
        assertThat(verdictFor(waiting, 1)).isNull();

        gates.get(slow).countDown();
        Await.value(WAIT, "the waiting one's verdict once a permit is free", () -> verdictFor(waiting, 1));
        gates.get(slower).countDown();
        Await.value(WAIT, "the slower one's verdict", () -> verdictFor(slower, 1));
        assertThat(mostAtOnce.get()).isEqualTo(2);
    }

    @Test
    void a_result_about_an_unwatched_run_is_dropped() {
        HealthMonitor m = monitor(4);
        UUID id = UUID.randomUUID();
        gates.put(id, new CountDownLatch(1));
        m.watch(watch(id, 1));
        Await.until(WAIT, "its check in flight", () -> inFlight.contains(id));

        m.unwatch(id);
        gates.get(id).countDown();
        Await.until(WAIT, "its check done", () -> !inFlight.contains(id));

        UUID other = UUID.randomUUID();
        m.watch(watch(other, 1));
        Await.value(WAIT, "another verdict", () -> verdictFor(other, 1));
        assertThat(verdictFor(id, 1)).isNull();
    }
}
