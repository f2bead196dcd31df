package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.Fakes.FakeControlPlane;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.UsageReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageSamplerTest {

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final FakeRuntime runtime = new FakeRuntime();
    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final UsageSampler sampler = new UsageSampler(controlPlane, List.of(runtime),
            Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void samples_running_instances_only_in_one_report() {
        UUID running = UUID.randomUUID();
        UUID ended = UUID.randomUUID();
        runtime.start(assignment(running, Isolation.SHARED, DesiredState.RUNNING), null);
        runtime.instances.put(ended, RuntimeInstance.exited(ended, 0, null));

        assertThat(sampler.sampleOnce()).isEqualTo(1);

        assertThat(controlPlane.usage).hasSize(1);
        UsageReport.Sample sample = controlPlane.usage.get(0).samples().get(0);
        assertThat(sample.instanceId()).isEqualTo(running);
        assertThat(sample.sampledAt()).isEqualTo(now);
        assertThat(sample.memoryBytes()).isEqualTo(4096);
        assertThat(sample.cpuNanos()).isEqualTo(running.getLeastSignificantBits() & 0xffff);
    }

    @Test
    void sends_nothing_when_nothing_runs_and_survives_an_unreachable_control_api() {
        assertThat(sampler.sampleOnce()).isZero();
        assertThat(controlPlane.usage).isEmpty();

        runtime.start(assignment(UUID.randomUUID(), Isolation.SHARED, DesiredState.RUNNING), null);
        controlPlane.down = true;
        assertThat(sampler.sampleOnce()).isZero();
        controlPlane.down = false;
        assertThat(sampler.sampleOnce()).isEqualTo(1);
    }
}
