package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.StartTimeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Passes over the last fetched list, and the node's start timeline on the RUNNING report. */
class ReconcilerWatchTest {

    private final Fakes.FakeControlPlane controlPlane = new Fakes.FakeControlPlane();
    private final Fakes.FakeRuntime runtime = new Fakes.FakeRuntime();
    private final Fakes.FakeImageStore images = new Fakes.FakeImageStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private Reconciler newReconciler() {
        return new Reconciler(controlPlane, List.of(runtime), images, Runnable::run, clock, Duration.ofSeconds(5));
    }

    @Test
    void a_pass_that_need_not_fetch_acts_on_the_list_fetched_last_and_still_sees_exits() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        Reconciler reconciler = newReconciler();
        reconciler.reconcile(true);
        runtime.exit(id, 0, null);

        Reconciler.PassSummary cached = reconciler.reconcile(false);

        assertThat(controlPlane.fetches).isEqualTo(1);
        assertThat(cached.assignmentsFetched()).isTrue();
        assertThat(cached.desired()).isEqualTo(1);
        assertThat(reconciler.stateOf(id)).isIn(InstanceState.RESTARTING, InstanceState.EXITED);
    }

    @Test
    void a_pass_that_never_fetched_fetches_even_when_told_it_need_not() {
        controlPlane.assign(assignment(UUID.randomUUID(), Isolation.SHARED, DesiredState.RUNNING));

        newReconciler().reconcile(false);

        assertThat(controlPlane.fetches).isEqualTo(1);
        assertThat(runtime.starts).hasSize(1);
    }

    @Test
    void the_first_running_report_of_a_start_carries_when_the_node_saw_prepared_and_started_it() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));

        newReconciler().reconcile();

        Instant now = clock.instant();
        assertThat(controlPlane.timelines).containsExactly(java.util.Map.entry(id, new StartTimeline(now, now, now)));
    }

    @Test
    void an_adopted_instance_reports_no_start_timeline() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, Isolation.SHARED, DesiredState.RUNNING));
        newReconciler().reconcile();
        controlPlane.timelines.clear();

        newReconciler().reconcile();

        assertThat(controlPlane.reportsFor(id)).last().extracting(r -> r.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(controlPlane.timelines).isEmpty();
    }
}
