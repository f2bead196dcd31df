package dev.nanofleet.nodeimage;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.HostTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One boot of the node image under QEMU (TCG, q35, OVMF, user networking: the guest reaches the host's loopback at
 * 10.0.2.2), on a sparse copy of the disk so boot counting's renames on the ESP stay in the copy. The serial console
 * goes to a file that the waits read.
 */
final class QemuNode implements AutoCloseable {

    static final String OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    static final String OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";
    /** The ESP starts at 1 MiB (the build's layout). */
    static final long ESP_OFFSET = 1L << 20;

    final Path dir;
    final Path disk;
    final Path console;
    private Process qemu;
    private long startedNanos;
    /** The node agent's port in the guest (its {@code quarkus.http.port}). */
    static final int AGENT_PORT = 8090;
    private int agentHostPort;

    private QemuNode(Path dir) {
        this.dir = dir;
        this.disk = dir.resolve("disk.img");
        this.console = dir.resolve("console.log");
    }

    /** A copy of the image's disk in {@code dir}; {@code nodeEnv} (null: none) goes to the ESP as nanofleet/node.env. */
    static QemuNode prepare(NodeImage image, Path dir, String nodeEnv) throws IOException, InterruptedException {
        HostTools.require("qemu-system-x86_64", "mcopy");
        if (!Files.exists(Path.of(OVMF_CODE))) {
            HostTools.require("ovmf-firmware-" + OVMF_CODE);
        }
        QemuNode node = new QemuNode(dir);
        run(List.of("cp", "--sparse=always", image.file("disk.img").toString(), node.disk.toString()));
        Files.copy(Path.of(OVMF_VARS), dir.resolve("vars.fd"));
        if (nodeEnv != null) {
            Path env = dir.resolve("node.env");
            Files.writeString(env, nodeEnv);
            run(List.of("mcopy", "-o", "-i", node.disk + "@@" + ESP_OFFSET, env.toString(), "::nanofleet/node.env"));
        }
        return node;
    }

    /** Replaces a file on the copy's ESP (e.g. a boot entry). */
    void putOnEsp(Path file, String espPath) throws IOException, InterruptedException {
        run(List.of("mcopy", "-o", "-i", disk + "@@" + ESP_OFFSET, file.toString(), "::" + espPath));
    }

    /** Renames a file on the copy's ESP within its directory (e.g. a boot entry, to change its tries). */
    void renameOnEsp(String espPath, String newName) throws IOException, InterruptedException {
        run(List.of("mren", "-i", disk + "@@" + ESP_OFFSET, "::" + espPath, newName));
    }

    /** The ESP's files, one path a line ({@code mdir -/ -b}). */
    String espListing() throws IOException, InterruptedException {
        return run(List.of("mdir", "-/", "-b", "-i", disk + "@@" + ESP_OFFSET, "::"));
    }

    /**
     * Forwards {@code hostPort} on the host's loopback to the node agent's port in the guest, before {@link #start()}:
     * control-api then reaches the agent (for a node's and its instances' logs) at {@code http://127.0.0.1:hostPort},
     * the address the guest's requests come from.
     */
    QemuNode forwardingAgentTo(int hostPort) {
        this.agentHostPort = hostPort;
        return this;
    }

    QemuNode start() throws IOException {
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg",
                "-m", "1536", "-smp", "2", "-display", "none", "-monitor", "none", "-no-user-config", "-nodefaults",
                "-serial", "file:" + console,
                "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + dir.resolve("vars.fd"),
                "-drive", "if=virtio,format=raw,file=" + disk,
                "-nic", "user,model=virtio-net-pci" + (agentHostPort > 0
                        ? ",hostfwd=tcp:127.0.0.1:" + agentHostPort + "-:" + AGENT_PORT
                        : "")));
        startedNanos = System.nanoTime();
        qemu = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        return this;
    }

    /** Waits for a console line containing {@code text}; returns the seconds since start. */
    double awaitConsole(String text, Duration deadline) {
        Await.until(deadline, "the node's console to show '" + text + "' (" + console + "); its tail:\n"
                + consoleTail(40), () -> {
                    if (!qemu.isAlive()) {
                        throw new IllegalStateException("QEMU ended with " + qemu.exitValue() + ": "
                                + read(dir.resolve("qemu.log")) + "\nconsole:\n" + consoleTail(40));
                    }
                    return consoleText().contains(text);
                });
        return secondsSinceStart();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    String consoleText() {
        return read(console);
    }

    String consoleTail(int lines) {
        List<String> all = consoleText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (qemu != null && qemu.isAlive()) {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }
}
