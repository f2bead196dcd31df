package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessIT {

    @TempDir
    Path dir;

    @Test
    void stops_the_process_and_its_descendants_even_when_they_ignore_sigterm() {
        // a shell that ignores TERM, with a child that ignores TERM too
        ManagedProcess p = ManagedProcess
                .builder("stubborn", "sh", "-c",
                        "trap '' TERM; sh -c \"trap '' TERM; echo child; sleep 300\" & echo parent; wait")
                .log(dir.resolve("stubborn.log")).start();
        Await.until(Duration.ofSeconds(10), "both shells to print",
                () -> p.logTail(5).contains("child") && p.logTail(5).contains("parent"));
        List<ProcessHandle> family = ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
        assertThat(family).isNotEmpty();

        long start = System.nanoTime();
        p.stop(Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(p.isAlive()).isFalse();
        assertThat(family).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void reports_the_log_tail_when_the_process_dies_before_being_ready() {
        ManagedProcess p = ManagedProcess.builder("dies", "sh", "-c", "echo something went wrong; exit 3")
                .log(dir.resolve("dies.log")).start();
        assertThatThrownBy(() -> p.awaitPort("127.0.0.1", Ports.free(), Duration.ofSeconds(10)))
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("something went wrong");
    }

    @Test
    void reports_the_log_tail_on_timeout() {
        ManagedProcess p = ManagedProcess.builder("slow", "sh", "-c", "echo starting slowly; sleep 300")
                .log(dir.resolve("slow.log")).start();
        try {
            assertThatThrownBy(
                    () -> p.awaitHttp200(URI.create("http://127.0.0.1:" + Ports.free() + "/"), Duration.ofSeconds(1)))
                    .hasMessageContaining("not ready after 1 s").hasMessageContaining("starting slowly");
        } finally {
            p.stop();
        }
    }

    @Test
    void detached_processes_run_in_their_own_session_and_can_be_stopped_by_pid() throws Exception {
        Path log = dir.resolve("detached.log");
        ManagedProcess p = ManagedProcess.builder("detached", "sh", "-c", "echo $$; sleep 300").log(log).detached(true)
                .start();
        long pid = p.pid();
        Await.until(Duration.ofSeconds(10), "the pid in the log",
                () -> Files.readString(log).trim().equals(String.valueOf(pid)));
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(fields[3]).as("session id").isEqualTo(String.valueOf(pid));
        assertThat(ManagedProcess.isAlive(pid)).isTrue();
        assertThat(ManagedProcess.stop(pid, Duration.ofSeconds(5))).isTrue();
        assertThat(ManagedProcess.isAlive(pid)).isFalse();
        assertThat(ManagedProcess.stop(pid, Duration.ofSeconds(5))).isFalse();
    }
}
