package dev.nanofleet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node agent started on this host from its packaged build ({@code node-agent/target/quarkus-app}), as an operator
 * runs one on a node beside a control plane elsewhere: only a name, the control plane's URL and a join token. Its
 * instances outlive it by design, so closing it also deletes the containers it left in its own state directory.
 */
final class HostNodeAgent implements AutoCloseable {

    private final Process process;
    private final Path stateDir;
    private final Path log;

    private HostNodeAgent(Process process, Path stateDir, Path log) {
        this.process = process;
        this.stateDir = stateDir;
        this.log = log;
    }

    /**
     * @param extra further configuration (environment variables), e.g. a cgroup parent of its own so the agent never
     *        meets another one's containers on this host
     */
    static HostNodeAgent start(Path root, String name, String controlApiUrl, String joinToken,
            Map<String, String> extra)
            throws IOException {
        Path app = root.resolve("node-agent/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(app + " is missing: package node-agent first (./fleet mvn -pl node-agent"
                    + " package)");
        }
        Path stateDir = Files.createTempDirectory("nanofleet-host-agent-");
        Path log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-jar", app.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("NANOFLEET_NODE_NAME", name);
        env.put("NANOFLEET_NODE_CONTROL_API_URL", controlApiUrl);
        env.put("NANOFLEET_NODE_JOIN_TOKEN", joinToken);
        env.put("NANOFLEET_NODE_STATE_DIR", stateDir.toString());
        env.put("QUARKUS_HTTP_PORT", "0");
        env.putAll(extra);
        return new HostNodeAgent(pb.start(), stateDir, log);
    }

    /** The last lines the agent logged, for a failure's message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no agent log: " + e.getMessage() + ")";
        }
    }

    /** The ids of the containers the agent's OCI runtime holds now. */
    List<String> containers() throws IOException, InterruptedException {
        if (!Files.isDirectory(ociState())) {
            return List.of();
        }
        Process list = new ProcessBuilder(runtime(), "--root", ociState().toString(), "list", "-q").start();
        String ids = new String(list.getInputStream().readAllBytes());
        list.waitFor(30, TimeUnit.SECONDS);
        return Arrays.stream(ids.strip().split("\\s+")).filter(id -> !id.isBlank()).toList();
    }

    private Path ociState() {
        return stateDir.resolve("oci-state");
    }

    /** The runtime the agent chose (node-agent's ChosenOciRuntime records it): only it knows its containers. */
    private String runtime() throws IOException {
        Path record = stateDir.resolve("oci-runtime");
        return Files.isRegularFile(record) ? Files.readString(record).strip() : "runc";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (String id : containers()) {
            new ProcessBuilder(runtime(), "--root", ociState().toString(), "delete", "-f", id).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }
}
