package dev.nanofleet.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.nodeapi.Assignment;
import java.util.List;
import java.util.Map;

/**
 * Turns the config.json that {@code umoci unpack} wrote (which already carries the image's entrypoint, cmd, env,
 * working directory and user) into the one an instance runs with; the process itself comes from
 * {@link InstanceProcess}, which the guest init of a VM uses too.
 */
public final class BundleConfig {

    public static final int PIDS_LIMIT = 512;
    public static final long CPU_PERIOD_MICROS = 100_000;
    public static final String CGROUP_PARENT = "nanofleet";

    private BundleConfig() {
    }

    /**
     * Patches {@code config} in place.
     *
     * @param hostHardLimits the agent's own hard rlimits: a container may not exceed them, because root here lacks
     *        CAP_SYS_RESOURCE and the runtime would fail with EPERM
     * @throws IllegalArgumentException when the instance would have nothing to run
     */
    public static void patch(ObjectNode config, Assignment a, Map<String, Long> hostHardLimits) {
        patch(config, a, hostHardLimits, null);
    }

    /**
     * Like {@link #patch(ObjectNode, Assignment, Map)}; the container joins the network namespace at {@code netnsPath}
     * (prepared by the agent: its tenant's network) instead of getting a new, empty one.
     */
    public static void patch(ObjectNode config, Assignment a, Map<String, Long> hostHardLimits, String netnsPath) {
        patch(config, a, hostHardLimits, netnsPath, CGROUP_PARENT);
    }

    /**
     * Like {@link #patch(ObjectNode, Assignment, Map, String)}, with the instance's cgroup under {@code cgroupParent}
     * (the agent's {@code nanofleet.node.runtime.cgroup-parent}) instead of {@value #CGROUP_PARENT}.
     */
    public static void patch(ObjectNode config, Assignment a, Map<String, Long> hostHardLimits, String netnsPath,
            String cgroupParent) {
        ObjectNode process = config.withObjectProperty("process");
        process.put("terminal", false);
        process.put("noNewPrivileges", true);
        InstanceProcess resolved = InstanceProcess.resolve(process, a);
        ArrayNode args = process.putArray("args");
        resolved.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        resolved.envList().forEach(env::add);
        process.put("cwd", resolved.cwd());
        ObjectNode user = process.putObject("user");
        user.put("uid", resolved.uid());
        user.put("gid", resolved.gid());
        if (!resolved.additionalGids().isEmpty()) {
            ArrayNode groups = user.putArray("additionalGids");
            resolved.additionalGids().forEach(groups::add);
        }
        capRlimits(process, hostHardLimits);
        if (!resolved.capabilities().isEmpty()) {
            ObjectNode caps = process.putObject("capabilities");
            resolved.capabilities().forEach((set, names) -> {
                ArrayNode list = caps.putArray(set);
                names.forEach(list::add);
            });
        }
        config.put("hostname", "i-" + a.instanceId().toString().substring(0, 8));

        ObjectNode linux = config.withObjectProperty("linux");
        linux.put("cgroupsPath", "/" + cgroupPath(cgroupParent, a.instanceId()));
        ObjectNode resources = linux.withObjectProperty("resources");
        if (a.resources() != null) {
            long bytes = (long) a.resources().memoryMiB() * 1024 * 1024;
            ObjectNode memory = resources.putObject("memory");
            memory.put("limit", bytes);
            // memory+swap equal to memory: no swap
            memory.put("swap", bytes);
            ObjectNode cpu = resources.putObject("cpu");
            cpu.put("quota", (long) a.resources().cpuMillis() * CPU_PERIOD_MICROS / 1000);
            cpu.put("period", CPU_PERIOD_MICROS);
        }
        resources.putObject("pids").put("limit", PIDS_LIMIT);
        ensureNetworkNamespace(linux, netnsPath);
    }

    /**
     * Bind-mounts {@code source} read-only over the container's {@code /etc/resolv.conf} (its tenant's private-network
     * DNS), replacing a mount of that path the image's config had.
     */
    public static void mountResolvConf(ObjectNode config, java.nio.file.Path source) {
        ArrayNode mounts = config.withArrayProperty("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (RESOLV_CONF.equals(mounts.get(i).path("destination").asText())) {
                mounts.remove(i);
            }
        }
        ObjectNode mount = mounts.addObject().put("destination", RESOLV_CONF).put("type", "bind").put("source", source
                .toString());
        mount.putArray("options").add("rbind").add("ro").add("nosuid").add("nodev").add("noexec");
    }

    static final String RESOLV_CONF = "/etc/resolv.conf";

    /** See {@link InstanceProcess#DROPPED_CAPABILITIES}. */
    public static final List<String> DROPPED_CAPABILITIES = InstanceProcess.DROPPED_CAPABILITIES;

    private static void capRlimits(ObjectNode process, Map<String, Long> hostHardLimits) {
        JsonNode rlimits = process.get("rlimits");
        if (rlimits == null || !rlimits.isArray()) {
            return;
        }
        for (JsonNode node : rlimits) {
            ObjectNode limit = (ObjectNode) node;
            Long cap = hostHardLimits.get(limit.path("type").asText());
            if (cap == null) {
                continue;
            }
            long hard = Math.min(asLimit(limit.get("hard")), cap);
            long soft = Math.min(asLimit(limit.get("soft")), hard);
            limit.put("hard", hard);
            limit.put("soft", soft);
        }
    }

    /** An rlimit value; RLIM_INFINITY (2^64-1, beyond a long) and anything unreadable count as unlimited. */
    private static long asLimit(JsonNode value) {
        if (value == null || !value.canConvertToLong() || value.asLong() < 0) {
            return Long.MAX_VALUE;
        }
        return value.asLong();
    }

    private static void ensureNetworkNamespace(ObjectNode linux, String path) {
        ArrayNode namespaces = linux.withArrayProperty("namespaces");
        ObjectNode network = null;
        for (JsonNode ns : namespaces) {
            if ("network".equals(ns.path("type").asText())) {
                network = (ObjectNode) ns;
            }
        }
        if (network == null) {
            network = namespaces.addObject().put("type", "network");
        }
        if (path != null) {
            network.put("path", path);
        } else {
            network.remove("path");
        }
    }

    /** The cgroup (relative to a controller's mount) an instance runs in. */
    public static String cgroupPath(java.util.UUID instanceId) {
        return cgroupPath(CGROUP_PARENT, instanceId);
    }

    /** The cgroup of an instance whose agent puts its instances under {@code cgroupParent}. */
    public static String cgroupPath(String cgroupParent, java.util.UUID instanceId) {
        return cgroupParent + "/" + instanceId;
    }

    static List<String> controllers() {
        return List.of("memory", "cpu", "cpuacct", "pids", "blkio", "cpuset", "devices", "freezer", "net_cls",
                "net_prio", "perf_event", "hugetlb", "rdma", "misc", "systemd", "unified");
    }
}
