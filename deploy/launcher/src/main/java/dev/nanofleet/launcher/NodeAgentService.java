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
 * A local node agent: the single one of {@code ./fleet up} in the host's network namespace, or one of several, each
 * started in its own namespace (see {@link FleetNetwork}). Its instances (runc containers and QEMU VMs) outlive the
 * agent on purpose (a restarted agent adopts them), so stopping the local platform also removes what it left, or it
 * would run on with nobody to stop it.
 */
final class NodeAgentService implements Component {

    /** node-agent's {@code ChosenOciRuntime.FILE}. */
    static final String OCI_RUNTIME_RECORD = "oci-runtime";

    /** node-agent's default {@code nanofleet.node.runtime.cgroup-parent}, which the single node keeps. */
    static final String DEFAULT_CGROUP_PARENT = "nanofleet";
    private static final Path CGROUP_MOUNT = Path.of("/sys/fs/cgroup");

    private final LocalNode node;
    private final int port;
    private final Map<String, String> config;
    private final QuarkusService agent;
    private final Path stateDir;
    private final LocalNodeJoin join;

    NodeAgentService(LocalNode node, int port, Map<String, String> config, LocalNodeJoin join) {
        this.node = node;
        this.port = port;
        this.config = config;
        this.agent = service(config);
        this.stateDir = node.stateDir();
        this.join = join;
    }

    private QuarkusService service(Map<String, String> env) {
        return new QuarkusService(node.component(), "node-agent", node.address(), inNodeNamespace(), port, env,
                "192m");
    }

    /**
     * What enters the node's network namespace: {@code nsenter --net} only, since {@code ip netns exec} would also
     * remount /sys and hide the cgroup mounts from runc; nothing for the single node.
     */
    private List<String> inNodeNamespace() {
        return node.netns().map(ns -> List.of("nsenter", "--net=/run/netns/" + ns)).orElse(List.of());
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
        return service(env).start(layout);
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
        removeCgroupParent();
    }

    /** The node's own cgroup parent, empty once its containers are deleted; the single node's shared one stays. */
    private void removeCgroupParent() {
        if (node.cgroupParent().equals(DEFAULT_CGROUP_PARENT) || !Files.isDirectory(CGROUP_MOUNT)) {
            return;
        }
        try (Stream<Path> hierarchies = Files.list(CGROUP_MOUNT)) {
            for (Path dir : hierarchies.map(h -> h.resolve(node.cgroupParent())).filter(Files::isDirectory).toList()) {
                try {
                    Files.delete(dir); // rmdir: a cgroup directory holds only virtual files
                } catch (IOException e) {
                    // still holds a cgroup: left as it is
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot list " + CGROUP_MOUNT + ": " + e, e);
        }
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
        if (node.netns().isPresent() && !Files.exists(Path.of("/run/netns", node.netns().get()))) {
            return; // the node's namespace is gone, and every device in it
        }
        List<String> prefix = inNodeNamespace();
        String links;
        try {
            links = ManagedProcess.run(Duration.ofSeconds(20), concat(prefix, List.of("ip", "-o", "link", "show")));
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
                quietly(concat(prefix, List.of("ip", "link", "del", name.strip())));
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
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
