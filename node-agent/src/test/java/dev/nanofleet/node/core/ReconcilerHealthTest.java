package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.Fakes.FakeControlPlane;
import dev.nanofleet.node.core.Fakes.FakeImageStore;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** How the reconciler drives {@link HealthChecks} and acts on its verdicts (the checks themselves are faked). */
class ReconcilerHealthTest {

    private static final HealthCheck HTTP = new HealthCheck(HealthCheck.Type.HTTP, 8080, "/healthz", 200, 399, null,
            5, 2, 0, 3);
    private static final InstanceNetwork NETWORK = new InstanceNetwork("10.213.0.2", List.of());
    private static final String END = "health check failed 3 times in a row: HTTP 500 from /healthz";

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeImageStore images = new FakeImageStore();
    private final FakeHealthChecks health = new FakeHealthChecks();
    private final MovableClock clock = new MovableClock();

    {
        runtime.network = NETWORK;
    }

    private Reconciler newReconciler() {
        return new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, clock, Duration.ofSeconds(5),
                health);
    }

    private static Assignment checked(UUID id, RestartPolicy policy, HealthCheck check) {
        Assignment a = assignment(id, Isolation.SHARED, DesiredState.RUNNING);
        return new Assignment(a.instanceId(), a.deploymentId(), a.tenant(), a.image(), a.isolation(), a.resources(),
                a.command(), a.env(), a.desiredState(), policy, List.of(), null, check);
    }

    private static InstanceStatusReport running(int restarts, InstanceHealth h, String reason) {
        return new InstanceStatusReport(InstanceState.RUNNING, null, null, restarts, NETWORK, h, reason);
    }

    @Test
    void a_run_with_a_check_is_watched_at_its_address_and_starts_starting() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(checked(id, RestartPolicy.NEVER, HTTP));

        newReconciler().reconcile();

        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(running(0, InstanceHealth.STARTING, null));
        HealthChecks.Watch watch = health.watching.get(id);
        assertThat(watch).isNotNull();
        assertThat(watch.check()).isEqualTo(HTTP);
        assertThat(watch.address()).isEqualTo("10.213.0.2");
        assertThat(watch.isolation()).isEqualTo(Isolation.SHARED);
        assertThat(watch.startedAt()).isEqualTo(clock.now());
    }

    @Test
    void an_instance_without_a_check_reports_no_health_and_is_not_watched() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));

        newReconciler().reconcile();

        assertThat(controlPlane.reportsFor(id)).last().extracting(InstanceStatusReport::health).isNull();
        assertThat(health.watching).doesNotContainKey(id);
    }

    @Test
    void a_change_of_health_is_reported_at_once_without_waiting_for_a_pass() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(checked(id, RestartPolicy.NEVER, HTTP));
        newReconciler().reconcile();
        long run = health.watching.get(id).run();

        health.say(new HealthChecks.Verdict(id, run, InstanceHealth.HEALTHY, null, false, null));

        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(running(0, InstanceHealth.HEALTHY, null));
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void an_unhealthy_run_is_ended_and_restarted_by_its_policy_with_the_checks_words_as_reason() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(checked(id, new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 3), HTTP));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        long run = health.watching.get(id).run();

        health.say(new HealthChecks.Verdict(id, run, InstanceHealth.UNHEALTHY, "HTTP 500 from /healthz", true, END));

        assertThat(runtime.stops).containsExactly(id);
        assertThat(health.watching).doesNotContainKey(id);
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(running(0, InstanceHealth.UNHEALTHY,
                "HTTP 500 from /healthz"));
        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(new InstanceStatusReport(InstanceState.RESTARTING,
                END + "; restarting in 1 s", 143, 0, null));

        // the restart is a new run: watched again, starting over
        clock.advance(Duration.ofSeconds(1));
        reconciler.reconcile();
        assertThat(runtime.starts).containsExactly(id, id);
        assertThat(health.watching.get(id).run()).isGreaterThan(run);
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(running(1, InstanceHealth.STARTING, null));

        // a late verdict about the old run changes nothing
        health.say(new HealthChecks.Verdict(id, run, InstanceHealth.UNHEALTHY, "HTTP 500 from /healthz", true, END));
        assertThat(runtime.stops).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(running(1, InstanceHealth.STARTING, null));
    }

    @Test
    void an_unhealthy_run_that_exits_0_on_term_still_counts_as_a_failure_and_never_keeps_the_reason() {
        UUID restarted = UUID.randomUUID();
        UUID never = UUID.randomUUID();
        controlPlane.assign(checked(restarted, new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 3), HTTP));
        controlPlane.assign(checked(never, RestartPolicy.NEVER, HTTP));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        FakeRuntime graceful = runtime;

        for (UUID id : List.of(restarted, never)) {
            long run = health.watching.get(id).run();
            health.say(new HealthChecks.Verdict(id, run, InstanceHealth.UNHEALTHY, "HTTP 500 from /healthz", true,
                    END));
            graceful.exit(id, 0, null); // it handled TERM and exited cleanly
        }
        reconciler.reconcile();

        assertThat(controlPlane.reportsFor(restarted)).last().isEqualTo(new InstanceStatusReport(
                InstanceState.RESTARTING, END + "; restarting in 1 s", 0, 0, null));
        assertThat(controlPlane.reportsFor(never)).last().isEqualTo(new InstanceStatusReport(InstanceState.EXITED, END,
                0, 0, null));
    }

    @Test
    void a_stopped_instance_is_no_longer_watched() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(checked(id, RestartPolicy.NEVER, HTTP));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        assertThat(health.watching).containsKey(id);

        controlPlane.assignments.remove(id);
        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(health.watching).doesNotContainKey(id);
        assertThat(controlPlane.reportsFor(id)).last()
                .extracting(InstanceStatusReport::state, InstanceStatusReport::health)
                .containsExactly(InstanceState.STOPPED, null);
    }

    @Test
    void an_adopted_instance_is_watched_after_an_agent_restart() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(checked(id, RestartPolicy.NEVER, HTTP));
        newReconciler().reconcile();
        health.watching.clear();

        newReconciler().reconcile();

        assertThat(health.watching.get(id)).isNotNull().extracting(HealthChecks.Watch::check).isEqualTo(HTTP);
    }

    /** Records what is watched; verdicts are given by the test. */
    static final class FakeHealthChecks implements HealthChecks {
        final Map<UUID, Watch> watching = new ConcurrentHashMap<>();
        final List<Watch> watches = new ArrayList<>();
        Listener listener;

        @Override
        public void listen(Listener l) {
            listener = l;
        }

        @Override
        public void watch(Watch w) {
            Watch before = watching.put(w.instanceId(), w);
            if (!w.equals(before)) {
                watches.add(w);
            }
        }

        @Override
        public void unwatch(UUID instanceId) {
            watching.remove(instanceId);
        }

        void say(Verdict v) {
            listener.verdict(v);
        }
    }

}
