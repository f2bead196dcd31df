package dev.nanofleet.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A child process whose output goes to a log file: start, wait until it is ready (port open, HTTP
 * 200, any condition) with a deadline and progress messages, stop it (SIGTERM, grace period,
 * SIGKILL, descendants too), and show the tail of its log when it dies or times out.
 *
 * <p>
 * A <em>detached</em> process runs in its own session ({@code setsid}) with stdin from /dev/null
 * and survives this JVM; the caller records {@link #pid()} and later stops it with
 * {@link #stop(long, Duration)}. A non-detached process is stopped by a shutdown hook when the JVM
 * exits.
 */
public final class ManagedProcess implements AutoCloseable {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final boolean detached;
    private final Thread shutdownHook;

    private ManagedProcess(String name, Process process, Path log, boolean detached) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.detached = detached;
        if (detached) {
            this.shutdownHook = null;
        } else {
            this.shutdownHook = new Thread(() -> stopQuietly(), "stop-" + name);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    public static Builder builder(String name, String... command) {
        return new Builder(name, List.of(command));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean detached() {
        return detached;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until a TCP connection to host:port succeeds. */
    public ManagedProcess awaitPort(String host, int port, Duration deadline) {
        return await(deadline, host + ":" + port + " accepting connections", () -> portOpen(host, port));
    }

    /** Waits until GET {@code url} answers 200. */
    public ManagedProcess awaitHttp200(URI url, Duration deadline) {
        return await(deadline, "HTTP 200 from " + url, () -> http200(url));
    }

    /**
     * Waits until {@code condition} holds, printing progress every 10 s. Fails at once (with the log
     * tail) if the process exits, and at the deadline (with the log tail). The process is left running
     * on timeout; the caller decides (usually {@link #stop()}).
     */
    public ManagedProcess await(Duration deadline, String description, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        while (true) {
            boolean ok;
            try {
                ok = condition.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with status " + process.exitValue() + " before " + description
                                + "; log " + log + ":\n" + logTail(40));
            }
            long now = System.nanoTime();
            if (now >= end) {
                throw new IllegalStateException(
                        name + " (pid " + pid() + ") not ready after " + deadline.toSeconds() + " s: "
                                + description + "; log " + log + ":\n" + logTail(40));
            }
            if (now >= nextProgress) {
                System.err.printf("[nanofleet] waiting for %s: %s (%d s of %d s, log %s)%n", name, description,
                        Duration.ofNanos(now - start).toSeconds(), deadline.toSeconds(), log);
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** The last {@code lines} lines of the log (reads at most the last 64 KiB). */
    public String logTail(int lines) {
        return logTail(log, lines);
    }

    /** Stops the process and its descendants with the default grace period. */
    public void stop() {
        stop(DEFAULT_GRACE);
    }

    /** SIGTERM to the process and its descendants, wait {@code grace}, then SIGKILL what is left. */
    public void stop(Duration grace) {
        stop(process.toHandle(), grace);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stopQuietly() {
        try {
            stop(process.toHandle(), DEFAULT_GRACE);
        } catch (RuntimeException e) {
            System.err.println("[nanofleet] could not stop " + name + ": " + e);
        }
    }

    // ---- by PID (for the launcher, which records the PIDs of detached processes)

    /** Whether a process with this PID is alive. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the process {@code pid} and its descendants: SIGTERM to all of them, wait up to
     * {@code grace}, SIGKILL the survivors. Returns false if no such process was running.
     */
    public static boolean stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        stop(handle.get(), grace);
        return true;
    }

    private static void stop(ProcessHandle root, Duration grace) {
        // snapshot descendants first: once the root dies they are re-parented and no longer found
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            h.destroy();
        }
        long end = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = end - System.nanoTime();
            if (left > 0) {
                try {
                    h.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // timed out or interrupted: killed below
                }
            }
        }
        // descendants started during the grace period
        root.descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // a zombie or a process we may not wait for: nothing more to do
            }
        }
    }

    // ---- readiness helpers

    public static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean http200(URI url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static String logTail(Path log, int lines) {
        if (log == null || !Files.exists(log)) {
            return "(no log)";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(log, StandardOpenOption.READ)) {
            long size = ch.size();
            int max = (int) Math.min(size, 64 * 1024);
            ch.position(size - max);
            ByteBuffer buf = ByteBuffer.allocate(max);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read all
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            String[] all = text.split("\n", -1);
            int from = Math.max(0, all.length - lines - 1);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length)).stripTrailing();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Runs a short command to completion, returning its combined output; fails on a non-zero exit. */
    public static String run(Duration timeout, List<String> command) {
        return run(timeout, null, command);
    }

    /** As {@link #run(Duration, List)} in directory {@code dir} (null: the working directory). */
    public static String run(Duration timeout, Path dir, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            Process p = pb.start();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    out[0] = in.readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            reader.start();
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                stop(p.toHandle(), Duration.ofSeconds(2));
                reader.join(2000);
                throw new IllegalStateException(
                        "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            reader.join();
            String text = new String(out[0], StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "exit status " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Builds and starts a {@link ManagedProcess}. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> unsetEnv = new ArrayList<>();
        private Path directory;
        private Path log;
        private boolean detached;
        private boolean appendLog;

        private Builder(String name, List<String> command) {
            this.name = name;
            this.command = List.copyOf(command);
        }

        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder unsetEnv(String key) {
            unsetEnv.add(key);
            return this;
        }

        /** Where stdout and stderr go (default: a temp file). */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** Append to the log instead of truncating it. */
        public Builder appendLog(boolean append) {
            this.appendLog = append;
            return this;
        }

        /** Survive this JVM: own session, no shutdown hook; the caller records the PID. */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        public ManagedProcess start() {
            try {
                Path logFile = log != null
                        ? log
                        : Files.createTempFile("nanofleet-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".log");
                if (logFile.getParent() != null) {
                    Files.createDirectories(logFile.getParent());
                }
                List<String> cmd = new ArrayList<>();
                if (detached && new File("/usr/bin/setsid").canExecute()) {
                    // setsid execs in place (the JVM's child is no process group leader): same PID
                    cmd.add("/usr/bin/setsid");
                }
                cmd.addAll(command);
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.redirectErrorStream(true);
                pb.redirectOutput(appendLog
                        ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                        : ProcessBuilder.Redirect.to(logFile.toFile()));
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (directory != null) {
                    Files.createDirectories(directory);
                    pb.directory(directory.toFile());
                }
                unsetEnv.forEach(pb.environment()::remove);
                pb.environment().putAll(env);
                Process p = pb.start();
                return new ManagedProcess(name, p, logFile, detached);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
            }
        }
    }
}
