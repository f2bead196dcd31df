package dev.nanofleet.node.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSupervisorTest {

    private final ProcessSupervisor supervisor = new ProcessSupervisor("test-exit-", Duration.ofMillis(200));
    private final UUID id = UUID.randomUUID();

    /** Signals sent to our child with plain kill(2), counting what was sent. */
    private static final class Counting implements ProcessSupervisor.Signals {
        final AtomicInteger terms = new AtomicInteger();
        final AtomicInteger kills = new AtomicInteger();
        private final Process process;

        Counting(Process process) {
            this.process = process;
        }

        @Override
        public boolean term() {
            terms.incrementAndGet();
            process.destroy();
            return true;
        }

        @Override
        public void kill() {
            kills.incrementAndGet();
            process.destroyForcibly();
        }
    }

    @Test
    void a_launched_process_writes_to_its_log_gets_its_env_and_its_exit_is_watched(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("output.log");
        CompletableFuture<Integer> exit = new CompletableFuture<>();

        Process p = supervisor.launch(id, List.of("sh", "-c", "echo \"$GREETING\"; exit 3"), log,
                Map.of("GREETING", "hello"));
        supervisor.onExit(id, p, () -> exit.complete(p.exitValue()));

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(Files.readString(log)).isEqualTo("hello\n");
        Await.until(Duration.ofSeconds(5), "the ended process is forgotten", () -> supervisor.child(id).isEmpty());
    }

    @Test
    void a_process_that_honours_term_ends_within_the_grace_period_and_is_not_killed(@TempDir Path dir) {
        Process p = supervisor.launch(id, List.of("sleep", "30"), dir.resolve("log"), Map.of());
        Counting signals = new Counting(p);

        boolean killed = supervisor.stop(id, Duration.ofSeconds(10), signals, () -> !p.isAlive());

        assertThat(killed).isFalse();
        assertThat(signals.terms).hasValue(1);
        assertThat(signals.kills).hasValue(0);
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void a_process_that_ignores_term_is_killed_once_the_grace_period_is_over(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Process p = supervisor.launch(id, List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"),
                log, Map.of());
        Await.until(Duration.ofSeconds(10), "the trap is set", () -> Files.readString(log).contains("ready"));
        Counting signals = new Counting(p);
        long began = System.nanoTime();

        boolean killed = supervisor.stop(id, Duration.ofMillis(300), signals, () -> !p.isAlive());

        assertThat(killed).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(signals.kills).hasValue(1);
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_process_of_an_earlier_agent_is_waited_for_through_the_runtimes_own_check() {
        AtomicInteger checks = new AtomicInteger();

        boolean ended = supervisor.awaitEnded(id, Duration.ofSeconds(5), () -> checks.incrementAndGet() >= 3);

        assertThat(ended).isTrue();
        assertThat(checks).hasValue(3);
        assertThat(supervisor.awaitEnded(id, Duration.ofMillis(50), () -> false)).isFalse();
    }

    @Test
    void a_process_that_survives_kill_is_reported_as_a_failure() {
        ProcessSupervisor.Signals nothing = new ProcessSupervisor.Signals() {
            @Override
            public boolean term() {
                return false;
            }

            @Override
            public void kill() {
                // a process in uninterruptible sleep, say: the kill has no effect
            }
        };

        assertThatThrownBy(() -> supervisor.stop(id, Duration.ZERO, nothing, () -> false))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("still runs");
    }
}
