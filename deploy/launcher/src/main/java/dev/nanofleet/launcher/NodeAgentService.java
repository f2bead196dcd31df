package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local node agent. Its instances (runc containers and QEMU VMs) outlive the agent on purpose (a restarted agent
 * adopts them), so stopping the local platform also removes what it left, or it would run on with nobody to stop it.
 */
final class NodeAgentService implements Component {

    /** node-agent's {@code ChosenOciRuntime.FILE}. */
    static final String OCI_RUNTIME_RECORD = "oci-runtime";

    private final int port;
    private final Map<String, String> config;
    private final QuarkusService agent;
    private final Path stateDir;
    private final LocalNodeJoin join;

    NodeAgentService(int port, Path stateDir, Map<String, String> config, LocalNodeJoin join) {
        this.port = port;
        this.config = config;
        this.agent = new QuarkusService("node-agent", port, config, "192m");
        this.stateDir = stateDir;
        this.join = join;
    }

    /** Where the agent keeps its OCI runtime's state ({@code runc --root}, {@code crun --root}). */
    Path runcRoot() {
        return stateDir.resolve("oci-state");
    }

    /**
     * The OCI runtime the agent chose at start-up (runc or crun: whichever passed its probe), as it recorded it in
     * {@code <state-dir>/oci-runtime} (node-agent's {@code ChosenOciRuntime}); {@code runc} for an agent that never
     * recorded one. Its containers can only be listed and deleted with the same runtime: the other one does not know
     * them.
     */
    String ociRuntime() {
        Path record = stateDir.resolve(OCI_RUNTIME_RECORD);
        try {
            String chosen = Files.isRegularFile(record) ? Files.readString(record).strip() : "";
            return chosen.isEmpty() ? "runc" : chosen;
        } catch (IOException e) {
            throw new LaunchException("cannot read the local node's OCI runtime from " + record + ": " + e, e);
        }
    }

    @Override
    public String name() {
        return agent.name();
    }

    @Override
    public String endpoint() {
        return agent.endpoint();
    }

    /** Starts the agent, with a fresh join token unless it keeps a credential control-api still accepts. */
    @Override
    public long start(Layout layout) {
        Map<String, String> env = new java.util.HashMap<>(config);
        join.joinToken(stateDir).ifPresent(token -> env.put("NANOFLEET_NODE_JOIN_TOKEN", token));
        return new QuarkusService("node-agent", port, env, "192m").start(layout);
    }

    @Override
    public boolean ready() {
        return agent.ready();
    }

    /** Where the agent keeps one directory per VM, with QEMU's pid file {@code vm.pid}. */
    Path vmsDir() {
        return stateDir.resolve("vms");
    }

    @Override
    public void afterStop(Layout layout) {
        removeContainers();
        stopVms();
        removeNetworkDevices();
    }

    /**
     * The agent's network namespaces ({@code /run/netns/nf-<owner>-<instance>}) and devices (tenant bridges, veths,
     * taps: each carries the alias {@code nanofleet-<owner>}), where the owner is the agent's state directory hashed as
     * node-agent's {@code NetNames.owner} does.
     */
    private void removeNetworkDevices() {
        String owner = owner(stateDir);
        Path netnsDir = Path.of("/run/netns");
        if (Files.isDirectory(netnsDir)) {
            try (Stream<Path> namespaces = Files.list(netnsDir)) {
                for (Path ns : namespaces.filter(p -> p.getFileName().toString().startsWith("nf-" + owner + "-"))
                        .toList()) {
                    quietly(List.of("ip", "netns", "del", ns.getFileName().toString()));
                }
            } catch (IOException e) {
                throw new LaunchException("cannot list " + netnsDir + ": " + e, e);
            }
        }
        String links;
        try {
            links = ManagedProcess.run(Duration.ofSeconds(20), List.of("ip", "-o", "link", "show"));
        } catch (RuntimeException e) {
            return; // no iproute2: the agent could not have created anything either
        }
        for (String line : links.lines().toList()) {
            if (!line.contains("alias nanofleet-" + owner)) {
                continue;
            }
            String[] fields = line.split(":\\s+", 3);
            if (fields.length > 1) {
                String name = fields[1].contains("@") ? fields[1].substring(0, fields[1].indexOf('@')) : fields[1];
                quietly(List.of("ip", "link", "del", name.strip()));
            }
        }
    }

    private static void quietly(List<String> command) {
        try {
            ManagedProcess.run(Duration.ofSeconds(20), command);
        } catch (RuntimeException e) {
            // already gone (a veth goes with its namespace)
        }
    }

    /** 16 hex characters of the SHA-256 of the absolute, normalised state directory (node-agent's NetNames.owner). */
    static String owner(Path stateDir) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(stateDir.toAbsolutePath()
                    .normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void removeContainers() {
        if (!Files.isDirectory(runcRoot())) {
            return;
        }
        String runtime = ociRuntime();
        String ids = ManagedProcess.run(Duration.ofSeconds(20),
                List.of(runtime, "--root", runcRoot().toString(), "list", "-q"));
        for (String id : ids.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            ManagedProcess.run(Duration.ofSeconds(20),
                    List.of(runtime, "--root", runcRoot().toString(), "delete", "--force", id));
        }
    }

    private void stopVms() {
        if (!Files.isDirectory(vmsDir())) {
            return;
        }
        try (Stream<Path> vms = Files.list(vmsDir())) {
            for (Path pidFile : vms.map(vm -> vm.resolve("vm.pid")).filter(Files::isRegularFile).toList()) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                boolean qemu = ProcessHandle.of(pid).flatMap(p -> p.info().command())
                        .map(command -> command.contains("qemu")).orElse(false);
                if (qemu) {
                    ManagedProcess.stop(pid, Duration.ofSeconds(5));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new LaunchException("cannot stop the local node's VMs in " + vmsDir() + ": " + e, e);
        }
    }
}
