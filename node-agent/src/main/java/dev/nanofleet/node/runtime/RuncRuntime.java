package dev.nanofleet.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.ContainerRuntime;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.node.host.ProcessSupervisor;
import dev.nanofleet.node.host.RootfsOverlay;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Shared-kernel instances with an OCI runtime (runc or crun, whichever {@link OciRuntimeDetector} found working).
 *
 * <p>
 * Each instance lives in {@code <state-dir>/instances/<id>/}: {@code bundle/} (made by the image store, config
 * patched here; its {@code rootfs} is the image's shared tree with the instance's writes on top, mounted for each run
 * and unmounted when it ended, see {@link RootfsOverlay}), {@code output.log} (its stdout and stderr), {@code exit-code} (written by the wrapper shell when the
 * runtime returns) and {@code exit.json} (the agent's record of how it ended). The runtime runs in the foreground
 * ({@code run --keep}) under {@code setsid -w sh -c ...}: the agent waits on that process for the exit code, and the
 * instance, in its own session, survives an agent restart; the restarted agent finds it with {@code list} and reads its
 * exit code from {@code exit-code}. {@code --keep} leaves the container and its cgroup in place after it exits, so the
 * OOM-kill counter can be read before {@code delete}.
 *
 * <p>
 * Thread-safe; operations on one instance are serialised on a per-instance lock.
 */
public final class RuncRuntime implements ContainerRuntime {

    private static final Logger LOG = System.getLogger(RuncRuntime.class.getName());
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Where the runtime writes the container's pid once its process runs. */
    private static final String INIT_PID = "init.pid";
    /** Runs the runtime, then records its exit status (the container's) where a restarted agent finds it. */
    private static final String WRAPPER = "\"$@\" </dev/null >>\"$NF_LOG\" 2>&1; rc=$?; "
            + "echo $rc >\"$NF_EXIT.tmp\" && mv \"$NF_EXIT.tmp\" \"$NF_EXIT\"; exit $rc";

    private final String binary;
    private final Path runtimeRoot;
    private final InstanceFiles files;
    private final Map<String, Long> hostHardLimits;
    private final ObjectMapper json = new ObjectMapper();
    private final ProcessSupervisor supervisor = new ProcessSupervisor("instance-exit-");
    private final NodeNetwork network;
    private final String cgroupParent;

    /** Instances without a network: each gets a new, empty network namespace. */
    public RuncRuntime(String binary, Path stateDir, Map<String, Long> hostHardLimits) {
        this(binary, stateDir, hostHardLimits, null);
    }

    /**
     * @param binary the OCI runtime's path
     * @param stateDir the agent's state directory; instances go to {@code instances/}, the runtime's own state to
     *        {@code oci-state/}
     * @param hostHardLimits the agent's hard rlimits (see {@link dev.nanofleet.node.host.HostFacts#hardLimits()})
     * @param network the node's instance network (each instance joins its tenant's); null: none
     */
    public RuncRuntime(String binary, Path stateDir, Map<String, Long> hostHardLimits, NodeNetwork network) {
        this(binary, stateDir, hostHardLimits, network, BundleConfig.CGROUP_PARENT);
    }

    /**
     * Like {@link #RuncRuntime(String, Path, Map, NodeNetwork)}, with every instance's cgroup under {@code cgroupParent}
     * (see {@link BundleConfig#cgroupPath(String, UUID)}).
     */
    public RuncRuntime(String binary, Path stateDir, Map<String, Long> hostHardLimits, NodeNetwork network,
            String cgroupParent) {
        this.network = network;
        this.cgroupParent = cgroupParent;
        this.binary = binary;
        this.runtimeRoot = stateDir.resolve("oci-state");
        this.files = new InstanceFiles(stateDir.resolve("instances"));
        this.hostHardLimits = Map.copyOf(hostHardLimits);
        try {
            Files.createDirectories(runtimeRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runtimeRoot, e);
        }
        // a running instance keeps its rootfs (it is adopted); any other mount is a leftover of an agent that died
        files.unmountLeftovers(id -> runtimeStatus(id).filter(s -> !s.equals("stopped")).isPresent()
                || wrapperAlive(id));
    }

    public String binary() {
        return binary;
    }

    /** The runtime's {@code --root} (its state): whoever runs {@code exec} in these containers needs it too. */
    public Path runtimeRoot() {
        return runtimeRoot;
    }

    @Override
    public Isolation isolation() {
        return Isolation.SHARED;
    }

    @Override
    public Path bundleDir(UUID instanceId) {
        return files.bundle(instanceId);
    }

    public Path instanceDir(UUID instanceId) {
        return files.dir(instanceId);
    }

    /** Where an instance's stdout and stderr go. */
    public Path outputLog(UUID instanceId) {
        return files.outputLog(instanceId);
    }

    /**
     * The command that runs {@code argv} in the running container {@code id}: in its namespaces and cgroup, with the
     * user, env, working dir and capabilities of its config, as {@code runc exec} does; with a terminal when {@code tty}
     * (then its stdin must be one), the process' host pid written to {@code pidFile}. For the exec helper.
     */
    public List<String> execCommand(UUID id, boolean tty, Path pidFile, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(binary, "--root", runtimeRoot.toString(), "exec"));
        if (tty) {
            command.add("--tty");
        }
        // "--" ends the options: an argv starting with '-' is the command's, not runc's
        command.addAll(List.of("--pid-file", pidFile.toString(), "--", id.toString()));
        command.addAll(argv);
        return command;
    }

    @Override
    public List<RuntimeInstance> list() {
        Map<String, String> statuses = runtimeStatuses();
        List<RuntimeInstance> result = new ArrayList<>();
        for (UUID id : files.ids()) {
            observe(id, statuses.get(id.toString())).ifPresent(result::add);
        }
        return result;
    }

    @Override
    public Optional<RuntimeInstance> state(UUID instanceId) {
        return observe(instanceId, runtimeStatus(instanceId).orElse(null));
    }

    private Optional<RuntimeInstance> observe(UUID id, String status) {
        Optional<RuntimeInstance> recorded = files.readExit(id);
        if (recorded.isPresent()) {
            return recorded;
        }
        if (status == null) {
            // never created (still being prepared, or the start failed) unless the wrapper recorded an exit
            return Files.exists(instanceDir(id).resolve("exit-code")) && !wrapperAlive(id) && startedOnce(id)
                    ? Optional.of(finish(id))
                    : Optional.empty();
        }
        return switch (status) {
            case "stopped" -> wrapperAlive(id) ? Optional.of(running(id)) : Optional.of(finish(id));
            default -> Optional.of(running(id));
        };
    }

    @Override
    public Optional<InstanceNetwork> network(UUID instanceId) {
        return network == null ? Optional.empty() : network.view(instanceId);
    }

    private RuntimeInstance running(UUID id) {
        return RuntimeInstance.running(id, network == null ? null : network.view(id).orElse(null));
    }

    @Override
    public void start(Assignment assignment, PreparedImage image) {
        UUID id = assignment.instanceId();
        synchronized (files.lock(id)) {
            Path dir = instanceDir(id);
            for (String stale : List.of("exit-code", "exit.json", "wrapper.pid", "started", INIT_PID)) {
                InstanceFiles.deleteQuietly(dir.resolve(stale));
            }
            if (Files.exists(runtimeRoot.resolve(id.toString()))) {
                tool("delete", "--force", id.toString()); // what an earlier run left (both runtimes keep state there)
            }
            Cgroups.removeLeftovers(BundleConfig.cgroupPath(cgroupParent, id));
            String netns = null;
            Path resolvConf = null;
            if (network != null) {
                long attaching = System.nanoTime();
                NodeNetwork.Attachment attached = network.attachContainer(id, assignment.tenant(), assignment.ports(),
                        assignment.egress());
                netns = attached.netnsPath();
                resolvConf = writeResolvConf(dir, assignment.tenant());
                LOG.log(Level.INFO, "event=runtime.network instance={0} address={1} bridge={2} ports={3} tookMs={4}",
                        id, attached.address(), attached.bridge(), attached.ports(), (System.nanoTime() - attaching)
                                / 1_000_000);
            }
            try {
                if (image.shared()) {
                    RootfsOverlay.mount(image.rootfs(), image.bundle());
                }
                writeConfig(assignment, image.bundle(), netns, resolvConf);
            } catch (RuntimeFailure e) {
                unmountQuietly(id);
                detachNetwork(id);
                throw e;
            }

            List<String> command = List.of("sh", "-c", WRAPPER, "nanofleet-run", binary, "--root", runtimeRoot
                    .toString(), "run", "--keep", "--pid-file", dir.resolve(INIT_PID).toString(), "--bundle",
                    image.bundle().toString(),
                    id.toString());
            long began = System.nanoTime();
            Process process;
            try {
                process = supervisor.launch(id, command, outputLog(id), Map.of("NF_LOG", outputLog(id).toString(),
                        "NF_EXIT", dir.resolve("exit-code").toString()));
                Files.writeString(dir.resolve("wrapper.pid"), Long.toString(process.pid()));
            } catch (IOException | RuntimeFailure e) {
                supervisor.child(id).ifPresent(Process::destroyForcibly);
                supervisor.forget(id);
                unmountQuietly(id);
                detachNetwork(id);
                throw e instanceof RuntimeFailure f
                        ? f
                        : new RuntimeFailure("cannot launch " + binary + ": "
                                + e.getMessage(), e);
            }
            String status = awaitCreated(id, dir.resolve(INIT_PID), process);
            if (status == null) {
                supervisor.forget(id);
                String why = Files2.tail(outputLog(id), 5);
                InstanceFiles.deleteQuietly(dir.resolve("exit-code"));
                tool("delete", "--force", id.toString());
                Cgroups.removeLeftovers(BundleConfig.cgroupPath(cgroupParent, id));
                unmountQuietly(id);
                detachNetwork(id);
                throw new RuntimeFailure(why.isEmpty() ? binary + " exited with " + process.exitValue() : why);
            }
            InstanceFiles.touch(dir.resolve("started"));
            LOG.log(Level.INFO, "event=runtime.started instance={0} status={1} startMs={2}", id, status,
                    (System.nanoTime() - began) / 1_000_000);
            supervisor.onExit(id, process, () -> finish(id));
        }
    }

    /**
     * Waits until the container's process runs, or the runtime gave up; null then. The runtime writes its pid file once
     * the process was started (after {@code create} and {@code start}), so watching for the file costs a stat every
     * millisecond or two, where asking {@code state} costs a process of the runtime's each time.
     */
    private String awaitCreated(UUID id, Path pidFile, Process process) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                return "running";
            }
            if (!process.isAlive()) {
                return runtimeStatus(id).filter(s -> s.equals("running") || s.equals("stopped")).orElse(null);
            }
            try {
                process.waitFor(2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        return null;
    }

    @Override
    public void stop(UUID instanceId, Duration grace) {
        String id = instanceId.toString();
        Optional<String> status = runtimeStatus(instanceId);
        if (status.isEmpty() || status.get().equals("stopped")) {
            if (status.isPresent()) {
                supervisor.awaitEnded(instanceId, ProcessSupervisor.KILL_WAIT, () -> ended(instanceId));
                finish(instanceId);
            }
            return;
        }
        supervisor.stop(instanceId, grace, new ProcessSupervisor.Signals() {
            @Override
            public boolean term() {
                tool("kill", id, "TERM");
                return true;
            }

            @Override
            public void kill() {
                tool("kill", "--all", id, "KILL");
            }
        }, () -> ended(instanceId));
        finish(instanceId);
    }

    /** True once the container's process ended and its wrapper (from an earlier agent) recorded its exit. */
    private boolean ended(UUID id) {
        Optional<String> status = runtimeStatus(id);
        return (status.isEmpty() || status.get().equals("stopped")) && !wrapperAlive(id);
    }

    @Override
    public void remove(UUID instanceId) {
        synchronized (files.lock(instanceId)) {
            Optional<String> status = runtimeStatus(instanceId);
            if (status.isPresent() && !status.get().equals("stopped")) {
                throw new RuntimeFailure("instance " + instanceId + " still runs; stop it first");
            }
            if (status.isPresent()) {
                finish(instanceId);
            }
            tool("delete", "--force", instanceId.toString());
            Cgroups.removeLeftovers(BundleConfig.cgroupPath(cgroupParent, instanceId));
            detachNetwork(instanceId);
            files.remove(instanceId);
        }
    }

    /** Best effort where the run is over anyway: a mount left behind is unmounted by the next start or the remove. */
    private void unmountQuietly(UUID id) {
        try {
            RootfsOverlay.unmount(bundleDir(id));
        } catch (RuntimeFailure e) {
            LOG.log(Level.WARNING, "event=rootfs.unmount.failed instance={0} reason=\"{1}\"", id, e.getMessage());
        }
    }

    private void detachNetwork(UUID id) {
        if (network != null) {
            network.detach(id);
        }
    }

    /**
     * Records how an ended instance ended (exit code; OOMKilled if the kernel killed in its cgroup), then deletes the
     * container and its cgroups. Idempotent.
     */
    private RuntimeInstance finish(UUID id) {
        synchronized (files.lock(id)) {
            Optional<RuntimeInstance> recorded = files.readExit(id);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            Path dir = instanceDir(id);
            int exitCode;
            String reason = null;
            try {
                exitCode = Integer.parseInt(Files.readString(dir.resolve("exit-code")).strip());
            } catch (IOException | NumberFormatException e) {
                exitCode = -1;
                reason = "exit code lost: the instance ended while neither the agent nor its wrapper watched";
            }
            if (Cgroups.oomKills(BundleConfig.cgroupPath(cgroupParent, id)).orElse(0L) > 0) {
                reason = "OOMKilled";
            }
            // before the exit is recorded, so whoever sees it ended sees nothing mounted; a restart mounts it again
            unmountQuietly(id);
            RuntimeInstance ended = files.writeExit(id, exitCode, reason);
            tool("delete", "--force", id.toString());
            Cgroups.removeLeftovers(BundleConfig.cgroupPath(cgroupParent, id));
            LOG.log(Level.INFO, "event=runtime.ended instance={0} exitCode={1} reason=\"{2}\"", id, exitCode, reason);
            return ended;
        }
    }

    /**
     * The container's resolv.conf in its instance directory when its tenant has a private network with DNS here;
     * else null (the image's own stays).
     */
    private Path writeResolvConf(Path dir, String tenant) {
        Path file = dir.resolve("resolv.conf");
        java.util.Optional<String> content = network.resolvConf(tenant);
        if (content.isEmpty()) {
            InstanceFiles.deleteQuietly(file);
            return null;
        }
        try {
            Files.writeString(file, content.get());
            return file;
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeConfig(Assignment assignment, Path bundle, String netnsPath, Path resolvConf) {
        Path file = bundle.resolve("config.json");
        try {
            ObjectNode config = (ObjectNode) json.readTree(file.toFile());
            BundleConfig.patch(config, assignment, hostHardLimits, netnsPath, cgroupParent);
            if (resolvConf != null) {
                BundleConfig.mountResolvConf(config, resolvConf);
            }
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot read or write " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(e.getMessage(), e);
        }
    }

    /** Every container the runtime knows, id to status, from one {@code list} call. */
    private Map<String, String> runtimeStatuses() {
        Exec.Result result = tool("list", "--format", "json");
        if (!result.ok()) {
            throw new RuntimeFailure(binary + " list failed: " + result.message());
        }
        Map<String, String> statuses = new HashMap<>();
        try {
            JsonNode list = json.readTree(result.stdout().isBlank() ? "[]" : result.stdout());
            if (list != null && list.isArray()) {
                for (JsonNode c : list) {
                    statuses.put(c.path("id").asText(), c.path("status").asText());
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure(binary + " list printed something unreadable: " + e.getMessage(), e);
        }
        return statuses;
    }

    private Optional<String> runtimeStatus(UUID id) {
        Exec.Result result = tool("state", id.toString());
        if (!result.ok()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(result.stdout()).path("status").asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private boolean wrapperAlive(UUID id) {
        Optional<Process> child = supervisor.child(id);
        if (child.isPresent()) {
            return child.get().isAlive();
        }
        try {
            long pid = Long.parseLong(Files.readString(instanceDir(id).resolve("wrapper.pid")).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    && !Files.exists(instanceDir(id).resolve("exit-code"));
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private boolean startedOnce(UUID id) {
        return Files.exists(instanceDir(id).resolve("started"));
    }

    private Exec.Result tool(String... args) {
        List<String> command = new ArrayList<>(List.of(binary, "--root", runtimeRoot.toString()));
        command.addAll(List.of(args));
        return Exec.run(command, TOOL_TIMEOUT);
    }

    @Override
    public Optional<Usage> usage(UUID instanceId) {
        return runtimeStatus(instanceId).filter(status -> !status.equals("stopped"))
                .flatMap(status -> Cgroups.usage(BundleConfig.cgroupPath(cgroupParent, instanceId)));
    }
}
