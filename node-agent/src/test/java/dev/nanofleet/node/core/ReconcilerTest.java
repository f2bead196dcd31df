package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.Fakes.FakeControlPlane;
import dev.nanofleet.node.core.Fakes.FakeImageStore;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
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
    void startsWhatIsDesiredRunningAndReportsEachStepOnce() {
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
    void theRunningReportSaysWhereTheInstanceIsReachableAlsoAfterAnAgentRestart() {
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
    void aSecondPassOverTheSameListChangesNothing() {
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
    void stopsAndRemovesWhatRunsButIsNoLongerAssigned() {
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
    void stopsWhatIsDesiredStoppedAndKeepsItStopped() {
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
    void reportsAPullFailureWithTheRegistrysReasonAndDoesNotStart() {
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
    void reportsARuntimeFailureAsFailedWithItsReason() {
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
    void failsHardwareIsolationWithAReasonInsteadOfRunningItShared() {
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
    void aRestartedReconcilerAdoptsRunningInstancesWithoutStartingDuplicates() {
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
    void aRestartedReconcilerStopsOrphansThatAreNoLongerAssigned() {
        UUID orphan = UUID.randomUUID();
        runtime.instances.put(orphan, ContainerRuntime.RuntimeInstance.running(orphan));

        newReconciler().reconcile();

        assertThat(runtime.stops).containsExactly(orphan);
        assertThat(runtime.removes).containsExactly(orphan);
        assertThat(runtime.instances).isEmpty();
    }

    @Test
    void reportsAnExitWithItsCodeAndReasonOnceAndDoesNotRestartIt() {
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
    void changesNothingWhileControlApiIsUnreachableAndCatchesUpAfter() {
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
    void keepsAReportThatFailedToSendAndSendsItOnTheNextPass() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();
        runtime.exit(id, 0, null);

        // control-api answers the list, then goes away before the report
        FakeControlPlane flaky = controlPlane;
        Reconciler.PassSummary pass = new Reconciler(new ControlPlane() {
            @Override
            public void register(dev.nanofleet.nodeapi.NodeRegistration registration) {
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
        }, List.of(runtime), images, Runnable::run, clock, Duration.ofSeconds(5)).reconcile();
        assertThat(pass.reportsSent()).isZero();

        reconciler.reconcile();
        assertThat(controlPlane.reportsFor(id)).last()
                .isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 0));
    }

    @Test
    void forgetsAnInstanceControlApiDisowns() {
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
    void countsInstancesByState() {
        UUID running = UUID.randomUUID();
        UUID hardware = UUID.randomUUID();
        controlPlane.assign(assignment(running, Isolation.SHARED, DesiredState.RUNNING));
        controlPlane.assign(assignment(hardware, Isolation.HARDWARE, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile();

        assertThat(reconciler.countByState()).containsEntry(InstanceState.RUNNING, 1)
                .containsEntry(InstanceState.FAILED, 1).containsEntry(InstanceState.STOPPED, 0);
    }
}
