package dev.nanofleet.node.exec;

import dev.nanofleet.node.runtime.RuncRuntime;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Exec into shared-kernel instances: {@code nf-exec host} runs {@code runc exec} under a pty (with a terminal) or with
 * pipes, and speaks {@link HelperFrames} on its stdin and stdout. One helper process per session; killing the session
 * kills the process in the container by the pid runc recorded (SIGKILL to runc itself would leave it running).
 */
public final class RuncExec implements InstanceExec {

    private static final Logger LOG = System.getLogger(RuncExec.class.getName());

    private final Path helper;
    private final RuncRuntime runtime;

    public RuncExec(Path helper, RuncRuntime runtime) {
        this.helper = helper;
        this.runtime = runtime;
    }

    /** Whether this runtime holds {@code id} (its directory exists), running or not. */
    public boolean holds(UUID id) {
        return Files.isDirectory(runtime.instanceDir(id));
    }

    @Override
    public void requireRunning(UUID id) {
        Path dir = runtime.instanceDir(id);
        if (!Files.isDirectory(dir)) {
            throw new ExecRefused(ExecRefused.Why.NOT_FOUND, "no instance " + id + " on this node");
        }
        if (!Files.exists(dir.resolve("started")) || Files.exists(dir.resolve("exit.json"))
                || Files.exists(dir.resolve("exit-code"))) {
            throw new ExecRefused(ExecRefused.Why.NOT_RUNNING, "instance " + id + " is not running");
        }
    }

    @Override
    public ExecSession open(UUID id, ExecRequest request, ExecListener listener) {
        requireRunning(id);
        Path pidFile = runtime.instanceDir(id).resolve("exec-" + UUID.randomUUID() + ".pid");
        List<String> command = new ArrayList<>(List.of(helper.toString(), "host"));
        if (request.tty()) {
            command.add("-t");
        }
        if (request.stdin()) {
            command.add("-i");
        }
        command.addAll(List.of("-s", request.columns() + "x" + request.rows(), "--"));
        command.addAll(runtime.execCommand(id, request.tty(), pidFile, request.command()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new ExecRefused(ExecRefused.Why.UNAVAILABLE, "cannot start the exec helper " + helper + ": "
                    + e.getMessage());
        }
        HelperSession session = new HelperSession(process, pidFile);
        Thread.ofVirtual().name("exec-" + id).start(() -> session.relay(listener));
        return session;
    }

    /** One helper process: its stdin takes our frames, its stdout gives the session's. */
    private static final class HelperSession implements ExecSession {
        private final Process process;
        private final Path pidFile;
        private final OutputStream toHelper;

        HelperSession(Process process, Path pidFile) {
            this.process = process;
            this.pidFile = pidFile;
            this.toHelper = process.getOutputStream();
        }

        void relay(ExecListener listener) {
            int exitCode = -1;
            String reason = "the exec helper ended without an exit code";
            try (DataInputStream in = HelperFrames.input(process.getInputStream())) {
                for (HelperFrames.Frame f; (f = HelperFrames.read(in)) != null;) {
                    switch (f.channel()) {
                        case HelperFrames.STDOUT -> listener.stdout(f.payload());
                        case HelperFrames.STDERR -> listener.stderr(f.payload());
                        case HelperFrames.EXIT -> {
                            exitCode = HelperFrames.exitCode(f.payload());
                            reason = HelperFrames.exitReason(f.payload());
                        }
                        default -> {
                            // nothing else comes from the helper
                        }
                    }
                }
            } catch (IOException e) {
                reason = "lost the exec helper: " + e.getMessage();
            } finally {
                close();
                process.destroyForcibly();
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "cannot delete {0}", pidFile);
                }
                listener.exited(exitCode, reason);
            }
        }

        private synchronized void send(int channel, byte[] bytes) {
            try {
                for (int at = 0; at < bytes.length || at == 0; at += HelperFrames.MAX_PAYLOAD) {
                    int n = Math.min(HelperFrames.MAX_PAYLOAD, bytes.length - at);
                    toHelper.write(HelperFrames.encode(0, channel, bytes, at, n));
                    if (bytes.length == 0) {
                        break;
                    }
                }
                toHelper.flush();
            } catch (IOException e) {
                // the helper is gone: its relay reports the end
            }
        }

        private synchronized void close() {
            try {
                toHelper.close();
            } catch (IOException e) {
                // gone already
            }
        }

        @Override
        public void stdin(byte[] bytes) {
            if (bytes.length > 0) {
                send(HelperFrames.STDIN, bytes);
            }
        }

        @Override
        public void closeStdin() {
            send(HelperFrames.EOF, new byte[0]);
        }

        @Override
        public void resize(int columns, int rows) {
            send(HelperFrames.RESIZE, HelperFrames.resize(columns, rows));
        }

        @Override
        public void kill() {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException | NumberFormatException e) {
                // not started yet, or ended: closing the helper's stdin below ends runc
            }
            close(); // the helper kills runc once its agent is gone
        }
    }
}
