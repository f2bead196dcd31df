package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.Fakes.FakeControlPlane;
import dev.nanofleet.node.core.Fakes.FakeImageStore;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeImageStore images = new FakeImageStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private Reconciler newReconciler() {
        return new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, clock, Duration.ofSeconds(5));
    }

    private static InstanceStatusReport report(InstanceState state) {
        return new InstanceStatusReport(state, null, null);
    }

    @Test
    void starts_what_is_desired_running_and_reports_each_step_once() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();

        reconciler.reconcile();

        assertThat(runtime.starts).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).containsExactly(report(InstanceState.PULLING),
                report(InstanceState.STARTING), report(InstanceState.RUNNING));
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void an_instance_of_a_cached_image_is_reported_starting_from_the_outset_without_pulling() {
        UUID id = UUID.randomUUID();
        Assignment a = assignment(id, Isolation.SHARED, DesiredState.RUNNING);
        images.cached.add(a.image());
        controlPlane.assign(a);

        newReconciler().reconcile();

        assertThat(controlPlane.reportsFor(id)).containsExactly(report(InstanceState.STARTING),
                report(InstanceState.RUNNING));
        assertThat(runtime.starts).containsExactly(id);
    }

    @Test
    void the_running_report_says_where_the_instance_is_reachable_also_after_an_agent_restart() {
        UUID id = UUID.randomUUID();
        InstanceNetwork network = new InstanceNetwork("10.88.0.2", List.of(new InstanceNetwork.PortBinding(8080,
                40123)));
        runtime.network = network;
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        newReconciler().reconcile();
        InstanceStatusReport running = new InstanceStatusReport(InstanceState.RUNNING, null, null, 0, network);

        assertThat(controlPlane.reportsFor(id)).containsExactly(report(InstanceState.PULLING),
                report(InstanceState.STARTING), running);

        Reconciler restarted = newReconciler();
        restarted.reconcile();
        restarted.reconcile();
        assertThat(controlPlane.reportsFor(id)).endsWith(running, running).hasSize(4);
    }

    @Test
    void a_second_pass_over_the_same_list_changes_nothing() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        int reportsAfterFirst = controlPlane.reports.size();

        Reconciler.PassSummary second = reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.starts).containsExactly(id);
        assertThat(images.pulls).isEqualTo(1);
        assertThat(controlPlane.reports).hasSize(reportsAfterFirst);
        assertThat(second.startsRequested()).isZero();
        assertThat(second.stopsRequested()).isZero();
    }

    @Test
    void stops_and_removes_what_runs_but_is_no_longer_assigned() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        controlPlane.assignments.clear();
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(runtime.removes).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).endsWith(report(InstanceState.STOPPING), report(InstanceState.STOPPED));
        assertThat(reconciler.stateOf(id)).isNull();
    }

    @Test
    void stops_what_is_desired_stopped_and_keeps_it_stopped() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.STOPPED));
        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(runtime.starts).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).endsWith(report(InstanceState.STOPPING), report(InstanceState.STOPPED));
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPED);
    }

    @Test
    void reports_a_pull_failure_with_the_registrys_reason_and_does_not_start() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        images.failures.put("registry.test/app:1", new ImagePullException(ImagePullException.Kind.NOT_FOUND,
                "image registry.test/app:1 not found in its registry"));
        Reconciler reconciler = newReconciler();

        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.starts).isEmpty();
        assertThat(images.pulls).isEqualTo(1);
        assertThat(controlPlane.reportsFor(id)).containsExactly(report(InstanceState.PULLING),
                new InstanceStatusReport(InstanceState.FAILED,
                        "image pull failed: image registry.test/app:1 not found in its registry", null));
    }

    @Test
    void reports_a_runtime_failure_as_failed_with_its_reason() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        runtime.failStartWith = "exec: \"/app\": no such file";
        Reconciler reconciler = newReconciler();

        reconciler.reconcile();

        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.FAILED, "start failed: exec: \"/app\": no such file",
                        null));
    }

    @Test
    void fails_hardware_isolation_with_a_reason_instead_of_running_it_shared() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.HARDWARE, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();

        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.starts).isEmpty();
        assertThat(controlPlane.reportsFor(id)).containsExactly(
                new InstanceStatusReport(InstanceState.FAILED, Reconciler.HARDWARE_UNAVAILABLE, null));
        assertThat(reconciler.isolations()).containsExactly(Isolation.SHARED);
    }

    @Test
    void a_restarted_reconciler_adopts_running_instances_without_starting_duplicates() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        newReconciler().reconcile();
        controlPlane.reports.clear();

        Reconciler restarted = newReconciler();
        restarted.reconcile();
        restarted.reconcile();

        assertThat(runtime.starts).containsExactly(id);
        assertThat(images.pulls).isEqualTo(1);
        assertThat(restarted.stateOf(id)).isEqualTo(InstanceState.RUNNING);
        assertThat(controlPlane.reportsFor(id)).containsExactly(report(InstanceState.RUNNING));
    }

    @Test
    void a_restarted_reconciler_stops_orphans_that_are_no_longer_assigned() {
        UUID orphan = UUID.randomUUID();
        runtime.instances.put(orphan, ContainerRuntime.RuntimeInstance.running(orphan));

        newReconciler().reconcile();

        assertThat(runtime.stops).containsExactly(orphan);
        assertThat(runtime.removes).containsExactly(orphan);
        assertThat(runtime.instances).isEmpty();
    }

    @Test
    void reports_an_exit_with_its_code_and_reason_once_and_does_not_restart_it() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        runtime.exit(id, 137, "OOMKilled");
        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(runtime.starts).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).containsOnlyOnce(
                new InstanceStatusReport(InstanceState.EXITED, "OOMKilled", 137));
        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.EXITED, "OOMKilled", 137));
    }

    @Test
    void an_ended_instance_assigned_ended_keeps_its_files_until_control_api_stops_listing_it() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        runtime.exit(id, 3, null);
        reconciler.reconcile();

        // control-api lists it as ENDED while its output is kept
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.ENDED));
        reconciler.reconcile();
        reconciler.reconcile();
        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.starts).containsExactly(id);
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null,
                3));

        controlPlane.assignments.remove(id);
        reconciler.reconcile();
        assertThat(runtime.removes).containsExactly(id);
    }

    @Test
    void a_restarted_reconciler_keeps_the_files_of_ended_instances_and_reports_nothing_about_them() {
        UUID id = UUID.randomUUID();
        runtime.instances.put(id, ContainerRuntime.RuntimeInstance.running(id));
        runtime.exit(id, 3, null);
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.ENDED));
        UUID gone = UUID.randomUUID();
        controlPlane.assign(assignment(gone, Isolation.SHARED, DesiredState.ENDED));

        newReconciler().reconcile();

        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.starts).isEmpty();
        assertThat(controlPlane.reports).isEmpty();
    }

    @Test
    void an_instance_still_running_that_control_api_considers_ended_is_stopped() {
        UUID id = UUID.randomUUID();
        runtime.instances.put(id, ContainerRuntime.RuntimeInstance.running(id));
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.ENDED));

        newReconciler().reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(runtime.removes).isEmpty();
    }

    @Test
    void changes_nothing_while_control_api_is_unreachable_and_catches_up_after() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        controlPlane.down = true;
        runtime.exit(id, 3, null);
        Reconciler.PassSummary blind = reconciler.reconcile();
        assertThat(blind.assignmentsFetched()).isFalse();
        assertThat(runtime.stops).isEmpty();

        controlPlane.down = false;
        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 3));
    }

    @Test
    void keeps_a_report_that_failed_to_send_and_sends_it_on_the_next_pass() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        runtime.exit(id, 0, null);

        // control-api answers the list, then goes away before the report
        FakeControlPlane flaky = controlPlane;
        Reconciler.PassSummary pass = new Reconciler(new ControlPlane() {
            @Override
            public java.security.PublicKey register(dev.nanofleet.nodeapi.NodeRegistration registration) {
                return dev.nanofleet.nodeapi.GrantKeys.fromSeed(dev.nanofleet.nodeapi.GrantKeys.newSeed()).getPublic();
            }

            @Override
            public void heartbeat() {
            }

            @Override
            public List<Assignment> fetchAssignments() {
                return flaky.fetchAssignments();
            }

            @Override
            public ReportOutcome report(UUID instanceId, InstanceStatusReport report) {
                throw new ControlPlaneException("timeout");
            }

            @Override
            public void reportUsage(dev.nanofleet.nodeapi.UsageReport report) {
                throw new ControlPlaneException("timeout");
            }
        }, List.of(runtime), images, Runnable::run, clock, Duration.ofSeconds(5)).reconcile();
        assertThat(pass.reportsSent()).isZero();

        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 0));
    }

    @Test
    void forgets_an_instance_control_api_disowns() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        controlPlane.disowned.add(id);
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        controlPlane.assignments.clear();
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(reconciler.stateOf(id)).isNull();
    }

    @Test
    void counts_instances_by_state() {
        UUID running = UUID.randomUUID();
        UUID hardware = UUID.randomUUID();
        controlPlane.assign(assignment(running, Isolation.SHARED, DesiredState.RUNNING));
        controlPlane.assign(assignment(hardware, Isolation.HARDWARE, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        assertThat(reconciler.countByState()).containsEntry(InstanceState.RUNNING, 1)
                .containsEntry(InstanceState.FAILED, 1).containsEntry(InstanceState.STOPPED, 0);
    }

    private static Assignment withPolicy(UUID id, RestartPolicy.Mode mode, int maxRetries) {
        Assignment a = assignment(id, Isolation.SHARED, DesiredState.RUNNING);
        return new Assignment(a.instanceId(), a.deploymentId(), a.tenant(), a.image(), a.isolation(), a.resources(),
                a.command(), a.env(), a.desiredState(), new RestartPolicy(mode, maxRetries), List.of());
    }

    private Reconciler newReconciler(Clock at) {
        return new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, at, Duration.ofSeconds(5));
    }

    @Test
    void a_crash_is_restarted_after_its_backoff_from_the_same_bundle_and_counted() {
        UUID id = UUID.randomUUID();
        MovableClock at = new MovableClock();
        controlPlane.assign(withPolicy(id, RestartPolicy.Mode.ON_FAILURE, 3));
        Reconciler reconciler = newReconciler(at);
        reconciler.reconcile();
        runtime.exit(id, 3, null);

        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(new InstanceStatusReport(InstanceState.RESTARTING,
                "exited with code 3; restarting in 1 s", 3, 0, null));
        at.advance(Duration.ofMillis(999));
        reconciler.reconcile();
        assertThat(runtime.starts).hasSize(1);

        at.advance(Duration.ofMillis(1));
        reconciler.reconcile();
        assertThat(runtime.starts).containsExactly(id, id);
        assertThat(images.pulls).isEqualTo(1);
        assertThat(controlPlane.reportsFor(id)).endsWith(
                new InstanceStatusReport(InstanceState.STARTING, null, null, 1, null),
                new InstanceStatusReport(InstanceState.RUNNING, null, null, 1, null));

        // the second crash in a row waits twice as long; OOM kills keep their reason
        runtime.exit(id, 137, "OOMKilled");
        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(new InstanceStatusReport(InstanceState.RESTARTING,
                "OOMKilled; restarting in 2 s", 137, 1, null));
    }

    @Test
    void on_failure_leaves_a_clean_exit_alone_and_always_restarts_it() {
        UUID clean = UUID.randomUUID();
        UUID always = UUID.randomUUID();
        controlPlane.assign(withPolicy(clean, RestartPolicy.Mode.ON_FAILURE, 3));
        controlPlane.assign(withPolicy(always, RestartPolicy.Mode.ALWAYS, 3));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        runtime.exit(clean, 0, null);
        runtime.exit(always, 0, null);

        reconciler.reconcile();
        assertThat(reconciler.stateOf(clean)).isEqualTo(InstanceState.EXITED);
        assertThat(reconciler.stateOf(always)).isEqualTo(InstanceState.RESTARTING);
    }

    /** An on-failure instance allowed one retry that crashed once and was started again after its 1 s back-off. */
    private Reconciler crashedAndRestartedOnce(UUID id, MovableClock at) {
        controlPlane.assign(withPolicy(id, RestartPolicy.Mode.ON_FAILURE, 1));
        Reconciler reconciler = newReconciler(at);
        reconciler.reconcile();
        runtime.exit(id, 1, null);
        reconciler.reconcile();
        at.advance(Duration.ofSeconds(1));
        reconciler.reconcile();
        return reconciler;
    }

    @Test
    void after_max_retries_in_a_row_the_instance_stays_exited() {
        UUID id = UUID.randomUUID();
        MovableClock at = new MovableClock();
        Reconciler reconciler = crashedAndRestartedOnce(id, at);
        runtime.exit(id, 1, null);

        reconciler.reconcile();
        at.advance(Duration.ofMinutes(5));
        reconciler.reconcile();
        assertThat(runtime.starts).hasSize(2);
        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 1, 1, null));
    }

    @Test
    void a_stable_run_forgives_earlier_crashes() {
        UUID id = UUID.randomUUID();
        MovableClock at = new MovableClock();
        Reconciler reconciler = crashedAndRestartedOnce(id, at);

        at.advance(Reconciler.STABLE_RUN);
        runtime.exit(id, 1, null);
        reconciler.reconcile();
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.RESTARTING);
        assertThat(controlPlane.reportsFor(id)).last().extracting(InstanceStatusReport::reason)
                .isEqualTo("exited with code 1; restarting in 1 s");
    }

    @Test
    void a_restarting_instance_that_is_no_longer_wanted_stops_instead_of_restarting() {
        UUID id = UUID.randomUUID();
        MovableClock at = new MovableClock();
        controlPlane.assign(withPolicy(id, RestartPolicy.Mode.ALWAYS, 5));
        Reconciler reconciler = newReconciler(at);
        reconciler.reconcile();
        runtime.exit(id, 2, null);
        reconciler.reconcile();

        controlPlane.assignments.remove(id);
        at.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        reconciler.reconcile();
        assertThat(runtime.starts).hasSize(1);
        assertThat(runtime.removes).containsExactly(id);
        assertThat(reconciler.stateOf(id)).isNull();
    }

    @Test
    void backoff_doubles_up_to_a_minute() {
        assertThat(List.of(0, 1, 2, 5, 6, 7, 40).stream().map(n -> Reconciler.backoff(n).toSeconds()).toList())
                .containsExactly(1L, 2L, 4L, 32L, 60L, 60L, 60L);
    }
}
