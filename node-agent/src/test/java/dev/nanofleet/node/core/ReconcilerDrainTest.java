package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.Fakes.FakeControlPlane;
import dev.nanofleet.node.core.Fakes.FakeImageStore;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.node.core.Fakes.ManualDelays;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A stop of an instance that publishes ports waits out the drain delay first, on {@link Delays}, never on a pass. */
class ReconcilerDrainTest {

    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final InstanceNetwork PUBLISHED = new InstanceNetwork("10.213.0.2", List.of(
            new InstanceNetwork.PortBinding(8080, 40123)));

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final FakeRuntime runtime = new FakeRuntime();
    private final FakeImageStore images = new FakeImageStore();
    private final MovableClock clock = new MovableClock();
    private final ManualDelays delays = new ManualDelays(clock);
    private final Reconciler reconciler = new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, clock,
            Duration.ofSeconds(10), HealthChecks.NONE, Runnable::run, new StopDrain(DRAIN), delays);

    private UUID running(InstanceNetwork network) {
        UUID id = UUID.randomUUID();
        runtime.network = network;
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        reconciler.reconcile();
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.RUNNING);
        return id;
    }

    private void desireStopped(UUID id) {
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.STOPPED));
    }

    private List<InstanceState> states(UUID id) {
        return controlPlane.reportsFor(id).stream().map(InstanceStatusReport::state).toList();
    }

    @Test
    void an_instance_that_publishes_ports_is_reported_stopping_and_keeps_running_for_the_delay_then_stops() {
        UUID id = running(PUBLISHED);
        desireStopped(id);

        Reconciler.PassSummary pass = reconciler.reconcile();

        assertThat(pass.stopsRequested()).isEqualTo(1);
        assertThat(runtime.stops).isEmpty();
        assertThat(runtime.instances.get(id).status()).isEqualTo(ContainerRuntime.Status.RUNNING);
        assertThat(states(id)).endsWith(InstanceState.STOPPING);
        assertThat(delays.waiting()).hasSize(1).first().satisfies(s -> assertThat(s.at).isEqualTo(clock.instant()
                .plus(DRAIN)));

        // passes while it drains neither stop it nor start another drain
        delays.advance(DRAIN.minusMillis(1));
        reconciler.reconcile();
        reconciler.reconcile();
        assertThat(runtime.stops).isEmpty();
        assertThat(delays.scheduled).hasSize(1);
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPING);

        delays.advance(Duration.ofMillis(1));

        assertThat(runtime.stops).containsExactly(id);
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPED);
        assertThat(states(id)).endsWith(InstanceState.RUNNING, InstanceState.STOPPING, InstanceState.STOPPED);
        reconciler.reconcile();
        assertThat(runtime.stops).containsExactly(id);
        assertThat(states(id)).endsWith(InstanceState.STOPPING, InstanceState.STOPPED);
    }

    @Test
    void other_instances_are_started_and_stopped_while_one_drains() {
        UUID draining = running(PUBLISHED);
        UUID quiet = running(new InstanceNetwork("10.213.0.3", List.of()));
        desireStopped(draining);
        reconciler.reconcile();

        UUID fresh = UUID.randomUUID();
        controlPlane.assign(assignment(fresh, Isolation.SHARED, DesiredState.RUNNING));
        desireStopped(quiet);
        reconciler.reconcile();

        assertThat(runtime.starts).contains(fresh);
        assertThat(runtime.stops).containsExactly(quiet);
        assertThat(reconciler.stateOf(draining)).isEqualTo(InstanceState.STOPPING);
    }

    @Test
    void an_instance_without_published_ports_or_network_stops_at_once() {
        UUID noPorts = running(new InstanceNetwork("10.213.0.3", List.of()));
        UUID noNetwork = running(null);
        desireStopped(noPorts);
        desireStopped(noNetwork);

        reconciler.reconcile();

        assertThat(runtime.stops).containsExactlyInAnyOrder(noPorts, noNetwork);
        assertThat(delays.scheduled).isEmpty();
        assertThat(states(noPorts)).endsWith(InstanceState.STOPPING, InstanceState.STOPPED);
    }

    @Test
    void an_instance_that_exits_by_itself_while_draining_is_stopped_at_once_and_its_wait_ends() {
        UUID id = running(PUBLISHED);
        desireStopped(id);
        reconciler.reconcile();

        runtime.exit(id, 0, null);
        reconciler.reconcile();

        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPED);
        assertThat(controlPlane.reportsFor(id)).last().isEqualTo(new InstanceStatusReport(InstanceState.STOPPED, null,
                0));
        assertThat(delays.waiting()).isEmpty();
        delays.advance(DRAIN);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void an_instance_no_longer_assigned_drains_too_and_is_removed_after_its_stop() {
        UUID id = running(PUBLISHED);
        controlPlane.assignments.clear();

        reconciler.reconcile();
        reconciler.reconcile();
        assertThat(runtime.removes).isEmpty();
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPING);

        delays.advance(DRAIN);
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(runtime.removes).containsExactly(id);
        assertThat(reconciler.stateOf(id)).isNull();
    }

    @Test
    void a_stop_that_failed_after_its_drain_is_retried_without_waiting_again() {
        UUID id = running(PUBLISHED);
        desireStopped(id);
        reconciler.reconcile();
        runtime.failStopWith = "runc kill: permission denied";
        delays.advance(DRAIN);
        assertThat(runtime.stops).containsExactly(id);
        assertThat(runtime.instances.get(id).status()).isEqualTo(ContainerRuntime.Status.RUNNING);

        runtime.failStopWith = null;
        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id, id);
        assertThat(delays.scheduled).hasSize(1);
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.STOPPED);
    }

    @Test
    void when_the_delays_take_no_more_tasks_the_stop_begins_at_once() {
        UUID id = running(PUBLISHED);
        desireStopped(id);
        delays.refuse = true;

        reconciler.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(states(id)).endsWith(InstanceState.STOPPING, InstanceState.STOPPED);
    }

    @Test
    void a_zero_delay_stops_an_instance_with_published_ports_at_once() {
        Reconciler noDrain = new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, clock, Duration
                .ofSeconds(10), HealthChecks.NONE, Runnable::run, StopDrain.OFF, delays);
        UUID id = UUID.randomUUID();
        runtime.network = PUBLISHED;
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        noDrain.reconcile();
        desireStopped(id);

        noDrain.reconcile();

        assertThat(runtime.stops).containsExactly(id);
        assertThat(delays.scheduled).isEmpty();
    }
}
