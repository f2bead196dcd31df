package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one revision of a deployment runs: everything a node needs to start a replica, with secrets and the registry
 * password sealed as on the deployment row. Immutable once stored; scaling and the rollout policy are not part of it.
 */
public record RevisionSpec(String image, List<String> command, Map<String, String> env,
        Map<String, String> secretsSealed, String registryUsername, String registryPasswordSealed, int cpuMillis,
        int memoryMiB, Isolation isolation, RestartPolicy.Mode restartMode, int restartMaxRetries, List<Integer> ports,
        HealthCheck healthCheck, EgressPolicy egress, List<Integer> tcpPorts) {

    public RevisionSpec {
        // revisions stored before egress existed allowed all, as the default does
        egress = egress == null ? EgressPolicy.ALLOW_ALL : egress;
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        secretsSealed = secretsSealed == null ? Map.of() : Map.copyOf(secretsSealed);
        ports = ports == null ? List.of() : List.copyOf(ports);
        // revisions stored before plain TCP ports existed had HTTP ports only
        tcpPorts = tcpPorts == null ? List.of() : List.copyOf(tcpPorts);
    }

    /** The spec the deployment row holds now. */
    static RevisionSpec of(DeploymentEntity d) {
        return new RevisionSpec(d.image, d.command, d.env, d.secretsSealed, d.registryUsername,
                d.registryPasswordSealed, d.cpuMillis, d.memoryMiB, d.isolation, d.restartMode, d.restartMaxRetries,
                d.ports, d.healthCheck, d.egress, d.tcpPorts);
    }

    /** Makes the deployment row hold this spec (a new revision, or a rollback to an old one). */
    void applyTo(DeploymentEntity d) {
        d.image = image;
        d.command = command;
        d.env = new TreeMap<>(env);
        d.secretsSealed = new TreeMap<>(secretsSealed);
        d.registryUsername = registryUsername;
        d.registryPasswordSealed = registryPasswordSealed;
        d.cpuMillis = cpuMillis;
        d.memoryMiB = memoryMiB;
        d.isolation = isolation;
        d.restartMode = restartMode;
        d.restartMaxRetries = restartMaxRetries;
        d.ports = new ArrayList<>(ports);
        d.tcpPorts = new ArrayList<>(tcpPorts);
        d.healthCheck = healthCheck;
        d.egress = egress;
    }

    public Resources resources() {
        return new Resources(cpuMillis, memoryMiB);
    }

    public RestartPolicy restartPolicy() {
        return new RestartPolicy(restartMode, restartMaxRetries);
    }

    public List<PublishedPort> publishedPorts() {
        return ports.stream().map(PublishedPort::new).toList();
    }

    /**
     * The fields that differ from {@code before}, by their API names. Secrets are compared by name and by the set of
     * names re-sealed ({@code resealed}: a sealed value never equals another sealing of the same value), never by value.
     */
    List<String> changedFrom(RevisionSpec before, Set<String> resealed) {
        List<String> changed = new ArrayList<>();
        if (!image.equals(before.image)) {
            changed.add("image");
        }
        if (!Objects.equals(command, before.command)) {
            changed.add("command");
        }
        if (!env.equals(before.env)) {
            changed.add("env");
        }
        TreeSet<String> secrets = new TreeSet<>(resealed);
        before.secretsSealed.keySet().stream().filter(n -> !secretsSealed.containsKey(n)).forEach(secrets::add);
        secrets.forEach(n -> changed.add("secrets." + n));
        if (!Objects.equals(registryUsername, before.registryUsername)
                || !Objects.equals(registryPasswordSealed, before.registryPasswordSealed)) {
            changed.add("imageCredentials");
        }
        if (cpuMillis != before.cpuMillis || memoryMiB != before.memoryMiB) {
            changed.add("resources");
        }
        if (isolation != before.isolation) {
            changed.add("isolation");
        }
        if (restartMode != before.restartMode || restartMaxRetries != before.restartMaxRetries) {
            changed.add("restartPolicy");
        }
        if (!ports.equals(before.ports) || !tcpPorts.equals(before.tcpPorts)) {
            changed.add("ports");
        }
        if (!Objects.equals(healthCheck, before.healthCheck)) {
            changed.add("healthCheck");
        }
        if (!egress.equals(before.egress)) {
            changed.add("egress");
        }
        return changed;
    }
}
