package dev.nanofleet.node.host;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one way both runtimes run an instance's host process (runc's wrapper, a VM's QEMU): launched in a session of its
 * own so it outlives the agent, its exit watched off the common pool, and stopped with TERM, a grace period, then KILL.
 * After an agent restart the process is no child of ours any more; the runtimes then tell whether it ended with a
 * check of their own (runc's state, QEMU's pid file), which every wait here falls back to.
 *
 * <p>
 * Thread-safe. One supervisor per runtime; instances are told apart by id.
 */
public final class ProcessSupervisor {

    /** How long a process may take to die after SIGKILL before the runtime reports a failure. */
    public static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private final Duration killWait;
    private static final Logger LOG = System.getLogger(ProcessSupervisor.class.getName());
    private static final Duration POLL = Duration.ofMillis(20);

    private final Map<UUID, Process> children = new ConcurrentHashMap<>();
    /** Exit callbacks take per-instance locks and run tools: not on the common pool. */
    private final Executor exitWatchers;
    private final boolean haveSetsid;

    /** @param name names the exit-watcher threads, e.g. {@code vm-exit-} */
    public ProcessSupervisor(String name) {
        this(name, KILL_WAIT);
    }

    /** @param killWait how long a process may take to die after SIGKILL */
    public ProcessSupervisor(String name, Duration killWait) {
        this.killWait = killWait;
        this.exitWatchers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name, 0).factory());
        this.haveSetsid = Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));
    }

    /** How a runtime asks its instance to end. */
    public interface Signals {
        /** Asks it to end (SIGTERM or the runtime's equivalent); false if it could not be asked. */
        boolean term();

        /** Ends it now (SIGKILL). */
        void kill();
    }

    /**
     * Launches {@code command} for instance {@code id} in its own session ({@code setsid -w}: a signal to the agent's
     * process group does not reach it), stdin from /dev/null, stdout and stderr appended to {@code log}.
     *
     * @param env added to the agent's environment
     * @throws RuntimeFailure if it cannot be launched
     */
    public Process launch(UUID id, List<String> command, Path log, Map<String, String> env) {
        List<String> full = new ArrayList<>();
        if (haveSetsid) {
            full.addAll(List.of("setsid", "-w"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            children.put(id, process);
            return process;
        } catch (IOException e) {
            throw new RuntimeFailure("cannot launch " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code finish} once the launched process of {@code id} ended, then forgets the process. */
    public void onExit(UUID id, Process process, Runnable finish) {
        process.onExit().thenRunAsync(() -> {
            try {
                finish.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=instance.finish.failed instance={0} reason=\"{1}\"", id, e.getMessage());
            } finally {
                children.remove(id, process);
            }
        }, exitWatchers);
    }

    /** The process launched for {@code id} by this supervisor, while it is known (not after an agent restart). */
    public Optional<Process> child(UUID id) {
        return Optional.ofNullable(children.get(id));
    }

    /** Forgets the process of {@code id} (it failed to start and was killed). */
    public void forget(UUID id) {
        children.remove(id);
    }

    /**
     * Waits up to {@code timeout} for the instance's process to end: our child's exit when we launched it, else until
     * {@code ended} says so (polled).
     */
    public boolean awaitEnded(UUID id, Duration timeout, BooleanSupplier ended) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process child = children.get(id);
        try {
            if (child != null) {
                return child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            while (!ended.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(POLL);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * TERM, up to {@code grace} to end, then KILL and up to the kill wait (10 s by default).
     *
     * @return true when it had to be killed
     * @throws RuntimeFailure when it still runs after KILL
     */
    public boolean stop(UUID id, Duration grace, Signals signals, BooleanSupplier ended) {
        boolean asked = signals.term();
        if (asked && awaitEnded(id, grace, ended)) {
            return false;
        }
        LOG.log(Level.INFO, "event=instance.kill instance={0} reason=\"{1}\"", id,
                asked ? "grace period of " + grace.toMillis() + " ms over" : "TERM could not be delivered");
        signals.kill();
        if (!awaitEnded(id, killWait, ended)) {
            throw new RuntimeFailure("instance " + id + " still runs " + killWait.toMillis() + " ms after SIGKILL");
        }
        return true;
    }
}
