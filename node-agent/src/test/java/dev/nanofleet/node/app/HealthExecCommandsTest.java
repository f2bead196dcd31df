package dev.nanofleet.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.HealthChecks.Watch;
import dev.nanofleet.node.exec.ExecListener;
import dev.nanofleet.node.exec.ExecRefused;
import dev.nanofleet.node.exec.ExecRequest;
import dev.nanofleet.node.exec.ExecSession;
import dev.nanofleet.node.exec.InstanceExec;
import dev.nanofleet.node.health.ExecProbe;
import dev.nanofleet.node.health.InstanceCommand;
import dev.nanofleet.node.health.ProbeResult;
import dev.nanofleet.nodeapi.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which way the agent runs exec checks in each isolation mode ({@link NodeAgent#execCommands}): a VM's through the exec
 * port when the exec helper is configured, else failing with {@link ExecProbe#NO_GUEST_AGENT}. The guest agent itself
 * runs in {@code HardwareNodeAgentAppIT} and {@code HardwareExecIT}.
 */
class HealthExecCommandsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final InstanceCommand SHARED = (id, command, timeout) -> new InstanceCommand.Outcome(true, 0, "");

    @Test
    void without_the_exec_helper_an_exec_check_of_a_vm_fails_saying_it_needs_the_guest_agent() {
        ExecProbe probe = new ExecProbe(NodeAgent.execCommands(SHARED, Optional.empty()));

        assertThat(probe.probe(target(Isolation.HARDWARE, "true"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "exec true: " + ExecProbe.NO_GUEST_AGENT));
        assertThat(probe.probe(target(Isolation.SHARED, "true"), TIMEOUT).passed()).isTrue();
    }

    @Test
    void with_the_exec_helper_an_exec_check_of_a_vm_runs_through_the_exec_port() {
        ExecProbe probe = new ExecProbe(NodeAgent.execCommands(SHARED, Optional.of(new ScriptedExec())));

        assertThat(probe.probe(target(Isolation.HARDWARE, "true"), TIMEOUT)).isEqualTo(ProbeResult.pass(
                "exec true exited with 0"));
        assertThat(probe.probe(target(Isolation.HARDWARE, "false"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "exec false exited with 1: no such file"));
        assertThat(probe.probe(target(Isolation.HARDWARE, "sleep"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "exec sleep: killed after 2000 ms"));
        assertThat(probe.probe(target(Isolation.HARDWARE, "gone"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "exec gone: the instance is not running"));
    }

    private static Watch target(Isolation isolation, String command) {
        HealthCheck check = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of(command), 5, 2, 0, 3);
        return new Watch(UUID.randomUUID(), 1, isolation, check, "10.213.0.2", Instant.EPOCH);
    }

    /** Answers {@link #run} by the command's name, as the guest agent would have. */
    private static final class ScriptedExec implements InstanceExec {

        @Override
        public void requireRunning(UUID instanceId) {
        }

        @Override
        public ExecSession open(UUID instanceId, ExecRequest request, ExecListener listener) {
            throw new UnsupportedOperationException("only run");
        }

        @Override
        public RunResult run(UUID instanceId, List<String> command, Duration timeout, int maxOutputBytes) {
            return switch (command.get(0)) {
                case "true" -> new RunResult(0, new byte[0], false, false, null);
                case "false" -> new RunResult(1, "no such file\n".getBytes(StandardCharsets.UTF_8), false, false, null);
                case "sleep" -> new RunResult(-1, new byte[0], false, true, "killed after " + timeout.toMillis()
                        + " ms");
                default -> throw new ExecRefused(ExecRefused.Why.NOT_RUNNING, "the instance is not running");
            };
        }
    }
}
