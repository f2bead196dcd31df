package dev.nanofleet.node.exec;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs processes in running instances, in either isolation mode: {@code runc exec} in the container's namespaces and
 * cgroup, or a process the guest agent starts in the VM, in the container's root, as its user, with its env. A session
 * never outlives its instance. Implementations are thread-safe.
 */
public interface InstanceExec {

    /**
     * Checks, cheaply and without starting anything, that {@code instanceId} runs here and can be exec'd into.
     *
     * @throws ExecRefused when it cannot
     */
    void requireRunning(UUID instanceId);

    /**
     * Starts {@code request.command()} in the instance; what it writes and its end go to {@code listener}, on a thread
     * of the session's own. Blocks while the process is being started (tens of milliseconds).
     *
     * @throws ExecRefused when the instance is not here, not running or cannot be exec'd into
     */
    ExecSession open(UUID instanceId, ExecRequest request, ExecListener listener);

    /** What {@link #run} got: the exit code (-1: none), the first bytes of stdout and stderr together, and why. */
    record RunResult(int exitCode, byte[] output, boolean truncated, boolean timedOut, String reason) {
    }

    /**
     * Runs {@code command} in the instance without a terminal or stdin, kills it after {@code timeout}, and returns its
     * exit code and the first {@code maxOutputBytes} of its stdout and stderr interleaved (the rest is read and dropped).
     *
     * @throws ExecRefused when the instance is not here, not running or cannot be exec'd into
     */
    default RunResult run(UUID instanceId, List<String> command, Duration timeout, int maxOutputBytes) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        boolean[] truncated = new boolean[1];
        CompletableFuture<int[]> ended = new CompletableFuture<>();
        String[] why = new String[1];
        ExecListener listener = new ExecListener() {
            @Override
            public void stdout(byte[] bytes) {
                keep(bytes);
            }

            @Override
            public void stderr(byte[] bytes) {
                keep(bytes);
            }

            private void keep(byte[] bytes) {
                synchronized (output) {
                    int room = maxOutputBytes - output.size();
                    output.write(bytes, 0, Math.max(0, Math.min(room, bytes.length)));
                    truncated[0] |= bytes.length > room;
                }
            }

            @Override
            public void exited(int exitCode, String reason) {
                why[0] = reason;
                ended.complete(new int[]{exitCode});
            }
        };
        ExecSession session = open(instanceId, ExecRequest.of(command, false, false), listener);
        boolean timedOut = false;
        int code;
        try {
            code = ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS)[0];
        } catch (TimeoutException e) {
            timedOut = true;
            session.kill();
            code = ended.completeOnTimeout(new int[]{-1}, 10, TimeUnit.SECONDS).join()[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.kill();
            return new RunResult(-1, new byte[0], false, false, "interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        synchronized (output) {
            return new RunResult(code, output.toByteArray(), truncated[0], timedOut,
                    timedOut ? "killed after " + timeout.toMillis() + " ms" : why[0]);
        }
    }
}
