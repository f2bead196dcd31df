package dev.nanofleet.edge;

import dev.nanofleet.edge.core.EdgeListeners;
import dev.nanofleet.edge.core.HaproxyConfig;
import dev.nanofleet.edge.core.Proxy;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * HAProxy from Debian in master-worker mode ({@code -W -S master.sock}), run as the edge's child. A new configuration
 * is checked with {@code haproxy -c} first, then put in place and loaded with the master CLI's {@code reload}: the
 * master starts a new worker, which takes the listening sockets over from the old one (the admin socket's
 * {@code expose-fd listeners}), and the old worker finishes the connections it holds before it exits. Not thread-safe:
 * one caller at a time ({@link dev.nanofleet.edge.core.RouteSync} serialises).
 */
final class HaproxyProcess implements Proxy, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HaproxyProcess.class);
    private static final Duration CHECK_DEADLINE = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final Path config;
    private final Path hostMap;
    private final Path certificateList;
    private final Path masterSocket;
    private Process master;

    /** {@code hostMap} and {@code certificateList} are where the configuration reads them ({@link EdgeListeners}). */
    HaproxyProcess(Path binary, Path dir, Path hostMap, Path certificateList) {
        this.binary = binary;
        this.dir = dir;
        this.config = dir.resolve("haproxy.cfg");
        this.hostMap = hostMap;
        this.certificateList = certificateList;
        this.masterSocket = dir.resolve("master.sock");
    }

    /** Starts HAProxy with {@code initial}; stops a master a crashed edge left behind first. */
    void start(HaproxyConfig.Rendered initial) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        stopLeftover();
        write(initial, config);
        check(config);
        Files.deleteIfExists(masterSocket);
        master = new ProcessBuilder(binary.toString(), "-W", "-S", masterSocket.toString(), "-f", config.toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile())).start();
        Files.writeString(dir.resolve("haproxy.pid"), master.pid() + "\n");
        long end = System.nanoTime() + CHECK_DEADLINE.toNanos();
        while (!Files.exists(masterSocket)) {
            if (!master.isAlive()) {
                throw new IOException("haproxy exited with " + master.exitValue() + ": "
                        + tail(dir.resolve("haproxy.log")));
            }
            if (System.nanoTime() > end) {
                throw new IOException("haproxy's master socket did not appear in " + CHECK_DEADLINE);
            }
            Thread.sleep(20);
        }
        LOG.infof("haproxy started (master pid %d)", master.pid());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    boolean running() {
        return master != null && master.isAlive();
    }

    @Override
    public void apply(HaproxyConfig.Rendered rendered) throws IOException, InterruptedException {
        if (!running()) {
            throw new IOException("haproxy does not run");
        }
        Path next = dir.resolve("haproxy.cfg.next");
        write(rendered, next);
        check(next);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        masterCommand("reload");
    }

    /**
     * Reloads the configuration it serves, checked again first: what a certificate file changed in place (a renewal)
     * needs, since HAProxy reads certificates only when it loads its configuration.
     */
    void reload() throws IOException, InterruptedException {
        if (!running()) {
            throw new IOException("haproxy does not run");
        }
        check(config);
        masterCommand("reload");
    }

    /** Writes the host map and crt-list where the configuration reads them and the configuration to {@code target}. */
    private void write(HaproxyConfig.Rendered rendered, Path target) throws IOException {
        replace(hostMap, rendered.hostMap());
        replace(certificateList, rendered.certificateList());
        Files.writeString(target, rendered.config());
    }

    private void replace(Path file, String text) throws IOException {
        Path next = dir.resolve(file.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void check(Path file) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(binary.toString(), "-c", "-q", "-f", file.toString()).redirectErrorStream(
                true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(CHECK_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            check.destroyForcibly();
            throw new IOException("haproxy -c took over " + CHECK_DEADLINE);
        }
        if (check.exitValue() != 0) {
            throw new IOException("haproxy refused the configuration: " + output.strip());
        }
    }

    private void masterCommand(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(masterSocket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private void stopLeftover() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("haproxy.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            var handle = ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("haproxy"))
                    .orElse(false));
            if (handle.isPresent()) {
                LOG.infof("stopping the haproxy (pid %d) a previous edge left running", pid);
                stop(handle.get());
            }
        } catch (NumberFormatException e) {
            // a torn PID file: nothing to stop
        }
        Files.deleteIfExists(pidFile);
    }

    @Override
    public void close() throws InterruptedException {
        if (master != null) {
            stop(master.toHandle());
        }
    }

    private static void stop(ProcessHandle process) throws InterruptedException {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }
}
