package dev.nanofleet.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's docker-registry on 127.0.0.1 and a free port, without TLS. Stopped by {@link #close()}. */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LocalRegistry start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory("nanofleet-registry");
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port));
            Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            LocalRegistry registry = new LocalRegistry(p, port);
            Await.until("registry on port " + port, Duration.ofSeconds(20), registry::answers);
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new IllegalStateException("docker-registry exited with " + process.exitValue());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** host:port, to prefix repository names with. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Pushes the demo image as {@code demo/busybox:1} and returns its reference. */
    public String pushDemoImage() {
        String ref = address() + "/demo/busybox:" + DemoImage.TAG;
        Sh.run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", DemoImage.ociReference(), "docker://" + ref);
        return ref;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
