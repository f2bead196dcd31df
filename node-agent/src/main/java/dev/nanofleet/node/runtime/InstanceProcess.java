package dev.nanofleet.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanofleet.nodeapi.Assignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process an instance runs, the same in both isolation modes: what runc's config.json gets ({@link BundleConfig})
 * and what the guest init of a VM runs ({@code vm.GuestInit}) both come from {@link #resolve}, so an image behaves the
 * same under runc and in a VM.
 *
 * <p>
 * The input is the {@code process} object that {@code umoci unpack} wrote into the bundle's config.json: umoci has
 * already turned the image config into it (args = entrypoint + cmd, env with the image's PATH and HOME, cwd from
 * WorkingDir, and user: a uid, a gid and the supplementary groups, with names resolved against the image's own
 * {@code /etc/passwd} and {@code /etc/group} inside the rootfs, never the host's). Both runtimes unpack with the same
 * image store, so this class only applies the request's overrides and fills what the image left out.
 *
 * @param args what to execute, never empty; a first word without a slash is looked up in the env's PATH
 * @param env variables, in order: the image's, then the request's (which win)
 * @param cwd absolute working directory
 * @param uid user the process runs as
 * @param gid its primary group
 * @param additionalGids its supplementary groups (empty: none)
 * @param capabilities per set ({@link #CAPABILITY_SETS}) the capabilities named in the config, less
 *        {@link #DROPPED_CAPABILITIES}; a set the config does not name is absent
 */
public record InstanceProcess(List<String> args, Map<String, String> env, String cwd, long uid, long gid,
        List<Long> additionalGids, Map<String, List<String>> capabilities) {

    public static final List<String> CAPABILITY_SETS = List.of("bounding", "effective", "inheritable", "permitted",
            "ambient");
    /**
     * Capabilities an instance never gets, whatever the image's config says: with them it could reconfigure its
     * network (address, routes: spoofing a neighbour on its tenant's bridge) or craft raw packets.
     */
    public static final List<String> DROPPED_CAPABILITIES = List.of("CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SYS_ADMIN",
            "CAP_SYS_MODULE");

    /** runc's and the OCI spec's default when an image sets no PATH: without it a bare command name is not found. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public InstanceProcess {
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        additionalGids = List.copyOf(additionalGids);
        Map<String, List<String>> caps = new LinkedHashMap<>();
        capabilities.forEach((set, names) -> caps.put(set, List.copyOf(names)));
        capabilities = java.util.Collections.unmodifiableMap(caps);
    }

    /**
     * The process of an instance: the image's (as umoci unpacked it), with the request's command replacing the image's
     * entrypoint and cmd (as Kubernetes' {@code command} does) and the request's env merged over the image's.
     *
     * @param process the {@code process} object of the bundle's config.json; null or missing fields: the OCI defaults
     * @param overrides the assignment: its {@code command} and {@code env}
     * @throws IllegalArgumentException when there is nothing to run, or the image's user or working dir is malformed
     */
    public static InstanceProcess resolve(JsonNode process, Assignment overrides) {
        JsonNode p = process == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : process;
        List<String> args = new ArrayList<>();
        if (overrides.command() != null && !overrides.command().isEmpty()) {
            args.addAll(overrides.command());
        } else if (p.path("args").isArray()) {
            p.path("args").forEach(n -> args.add(n.asText()));
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException(
                    "the image " + overrides.image() + " has no entrypoint or cmd and the deployment gives no command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (p.path("env").isArray()) {
            for (JsonNode e : p.path("env")) {
                String s = e.asText();
                int eq = s.indexOf('=');
                if (eq > 0) {
                    env.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        if (overrides.env() != null) {
            env.putAll(overrides.env());
        }
        String cwd = p.path("cwd").asText("");
        if (cwd.isEmpty()) {
            cwd = "/";
        }
        if (!cwd.startsWith("/")) {
            // the runtime spec requires an absolute cwd; runc refuses a relative one, so both modes refuse it here
            throw new IllegalArgumentException(
                    "the image " + overrides.image() + " has a relative working dir: " + cwd);
        }
        JsonNode user = p.path("user");
        long uid = id(user.path("uid"), "uid", overrides);
        long gid = id(user.path("gid"), "gid", overrides);
        List<Long> groups = new ArrayList<>();
        for (JsonNode g : user.path("additionalGids")) {
            groups.add(id(g, "additional gid", overrides));
        }
        Map<String, List<String>> capabilities = new LinkedHashMap<>();
        for (String set : CAPABILITY_SETS) {
            JsonNode names = p.path("capabilities").path(set);
            if (names.isArray()) {
                List<String> kept = new ArrayList<>();
                names.forEach(n -> {
                    if (!DROPPED_CAPABILITIES.contains(n.asText())) {
                        kept.add(n.asText());
                    }
                });
                capabilities.put(set, kept);
            }
        }
        return new InstanceProcess(args, env, cwd, uid, gid, groups, capabilities);
    }

    /** A uid or gid: missing means root (0), as in the runtime spec; anything else must be a 32-bit unsigned number. */
    private static long id(JsonNode value, String what, Assignment a) {
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("the image " + a.image() + " has an invalid " + what + ": " + value);
        }
        return value.asLong();
    }

    /** The env in the runtime spec's form, {@code KEY=value}. */
    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
