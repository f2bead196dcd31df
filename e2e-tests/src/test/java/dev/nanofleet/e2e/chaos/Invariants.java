package dev.nanofleet.e2e.chaos;

import dev.nanofleet.e2e.chaos.ChaosModel.Billed;
import dev.nanofleet.e2e.chaos.ChaosModel.Expected;
import dev.nanofleet.e2e.chaos.ChaosModel.InstanceReport;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedDeployment;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedInstance;
import dev.nanofleet.e2e.chaos.ChaosModel.RetriedCreate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The fault suite's checks, each a pure function of facts gathered from the platform, answering one finding (a
 * sentence) per violation: the count printed is the number of findings. No I/O here, so each rule is unit-tested with
 * in-memory inputs ({@code InvariantsTest}).
 */
public final class Invariants {

    /** The states tenant-billing bills (its {@code Metering.isBilledState}). */
    static final Set<String> BILLED_STATES = Set.of("STARTING", "RUNNING", "STOPPING");
    /**
     * What billing may exceed the agents' wall clock by per billed span: event times are control-api's clock for both,
     * but a span's end may be the rating's "as of" a moment after the report was read.
     */
    static final Duration SPAN_SLACK = Duration.ofSeconds(1);

    private Invariants() {
    }

    /**
     * Lost: a deployment the harness created and did not delete that no longer exists (or is deleted), or whose desired
     * replicas differ from what the harness last set; and a retried create that does not exist exactly once under its
     * name with the id the retry answered.
     */
    public static List<String> lost(Collection<Expected> expected, Collection<RetriedCreate> retried,
            Collection<ObservedDeployment> observed) {
        Map<UUID, ObservedDeployment> byId = new HashMap<>();
        Map<String, List<ObservedDeployment>> byName = new HashMap<>();
        for (ObservedDeployment d : observed) {
            byId.put(d.id(), d);
            byName.computeIfAbsent(d.tenant() + "/" + d.name(), k -> new ArrayList<>()).add(d);
        }
        List<String> findings = new ArrayList<>();
        for (Expected e : expected) {
            ObservedDeployment d = byId.get(e.id());
            if (d == null) {
                findings.add("deployment " + e.tenant() + "/" + e.name() + " (" + e.id() + ") is gone");
            } else if (d.deleted()) {
                findings.add("deployment " + e.tenant() + "/" + e.name() + " (" + e.id() + ") is deleted");
            } else if (d.replicas() != e.replicas()) {
                findings.add("deployment " + e.tenant() + "/" + e.name() + " wants " + d.replicas()
                        + " replicas, the harness last set " + e.replicas());
            }
        }
        for (RetriedCreate r : retried) {
            List<ObservedDeployment> named = byName.getOrDefault(r.tenant() + "/" + r.name(), List.of());
            if (named.size() != 1 || !named.getFirst().id().equals(r.id())) {
                findings.add("retried create " + r.tenant() + "/" + r.name() + " (key " + r.idempotencyKey()
                        + ", answered " + r.id() + ") exists " + named.size() + " times: "
                        + named.stream().map(ObservedDeployment::id).toList());
            }
        }
        return findings;
    }

    /**
     * Instance ids reported RUNNING by two nodes at once, from the stream of instance events in order. A node's RUNNING
     * ends with its next report about the instance, or when the instance is placed on another node: control-api refuses
     * the old node's reports from then on, so the stream cannot say more, and whether the old node really stopped it is
     * what {@link #runningOnTwoNodes} (the nodes' own runtimes) and {@link #orphans} check.
     */
    public static Set<UUID> doubleRunning(List<InstanceReport> reports) {
        Map<UUID, Set<String>> runningOn = new HashMap<>();
        Set<UUID> twice = new TreeSet<>();
        for (InstanceReport r : reports) {
            Set<String> nodes = runningOn.computeIfAbsent(r.instanceId(), k -> new LinkedHashSet<>());
            switch (r.kind()) {
                case PLACED -> nodes.removeIf(node -> !node.equals(r.node()));
                case STATE -> {
                    if ("RUNNING".equals(r.state())) {
                        nodes.add(r.node());
                        if (nodes.size() > 1) {
                            twice.add(r.instanceId());
                        }
                    } else {
                        nodes.remove(r.node());
                    }
                }
            }
        }
        return twice;
    }

    /** Instance ids that one snapshot of the nodes' runtimes (node to running ids) shows on two nodes. */
    public static Set<UUID> runningOnTwoNodes(List<Map<String, Set<UUID>>> snapshots) {
        Set<UUID> twice = new TreeSet<>();
        for (Map<String, Set<UUID>> snapshot : snapshots) {
            Set<UUID> seen = new HashSet<>();
            snapshot.values().forEach(ids -> ids.stream().filter(id -> !seen.add(id)).forEach(twice::add));
        }
        return twice;
    }

    /**
     * Containers and VMs running on a node that no assignment accounts for: {@code accounted} is, per node, the
     * instances control-api places there and wants running.
     */
    public static List<String> orphans(Map<String, Set<UUID>> runningOnNodes, Map<String, Set<UUID>> accounted) {
        List<String> findings = new ArrayList<>();
        runningOnNodes.forEach((node, ids) -> ids.stream()
                .filter(id -> !accounted.getOrDefault(node, Set.of()).contains(id)).sorted()
                .forEach(id -> findings.add("instance " + id + " runs on " + node + " but is not assigned there")));
        return findings;
    }

    /** Per node, the instances of these deployments that control-api places there and wants running. */
    public static Map<String, Set<UUID>> accounted(Collection<ObservedDeployment> deployments) {
        Map<String, Set<UUID>> byNode = new HashMap<>();
        for (ObservedDeployment d : deployments) {
            for (ObservedInstance i : d.instances()) {
                if (i.node() != null && "running".equals(i.desiredState())) {
                    byNode.computeIfAbsent(i.node(), k -> new TreeSet<>()).add(i.id());
                }
            }
        }
        return byNode;
    }

    /**
     * An event applied twice shows as an effect counted twice: a deployment with more live placements in the
     * scheduler's database than it wants replicas (0 once deleted), or more instances control-api wants running than
     * replicas. Judged once the platform settled (a scale-down's extra replicas are gone).
     *
     * @param desired per deployment the harness made: its replicas, 0 for a deleted one
     * @param livePlacements per deployment: the scheduler's placements on a node not ended
     */
    public static List<String> placedTwice(Map<UUID, Integer> desired, Map<UUID, Integer> livePlacements,
            Collection<ObservedDeployment> observed) {
        List<String> findings = new ArrayList<>();
        desired.forEach((id, replicas) -> {
            int placed = livePlacements.getOrDefault(id, 0);
            if (placed > replicas) {
                findings.add("deployment " + id + " has " + placed + " live placements for " + replicas
                        + " replicas in the scheduler's database");
            }
        });
        for (ObservedDeployment d : observed) {
            if (!desired.containsKey(d.id())) {
                continue;
            }
            long wanted = d.instances().stream().filter(i -> "running".equals(i.desiredState())).count();
            int replicas = d.deleted() ? 0 : d.replicas();
            if (wanted > replicas) {
                findings.add("deployment " + d.id() + " has " + wanted + " instances to run for " + replicas
                        + " replicas in control-api");
            }
        }
        return findings;
    }

    /**
     * Billing counts no second twice: per deployment, the vCPU-seconds billed are at most its replicas' billed spans as
     * the agents reported them (states STARTING, RUNNING, STOPPING on one node, open spans closed at {@code asOf}) times
     * the vCPUs requested, plus {@link #SPAN_SLACK} per span. An event metered twice would bill its span twice.
     *
     * @param cpuMillis per deployment: the CPU each replica requests
     */
    public static List<String> billedTwice(List<InstanceReport> reports, Map<UUID, Integer> cpuMillis,
            Collection<Billed> billed, Instant asOf) {
        Map<UUID, Duration> wall = new HashMap<>();
        Map<UUID, Integer> spans = new HashMap<>();
        Map<UUID, Instant> openSince = new HashMap<>();
        Map<UUID, String> openOn = new HashMap<>();
        Map<UUID, UUID> deploymentOf = new HashMap<>();
        for (InstanceReport r : reports) {
            deploymentOf.put(r.instanceId(), r.deploymentId());
            Instant since = openSince.get(r.instanceId());
            boolean billable = r.kind() == InstanceReport.Kind.STATE && BILLED_STATES.contains(r.state());
            boolean sameNode = r.node() != null && r.node().equals(openOn.get(r.instanceId()));
            if (since != null && !(billable && sameNode)) {
                close(wall, spans, r.deploymentId(), since, r.time());
                openSince.remove(r.instanceId());
                openOn.remove(r.instanceId());
            }
            if (billable && !openSince.containsKey(r.instanceId())) {
                openSince.put(r.instanceId(), r.time());
                openOn.put(r.instanceId(), r.node());
            }
        }
        openSince.forEach((instance, since) -> close(wall, spans, deploymentOf.get(instance), since, asOf));
        List<String> findings = new ArrayList<>();
        for (Billed b : billed) {
            Integer millis = cpuMillis.get(b.deploymentId());
            if (millis == null) {
                continue; // not one of the harness's deployments
            }
            Duration allowed = wall.getOrDefault(b.deploymentId(), Duration.ZERO)
                    .plus(SPAN_SLACK.multipliedBy(spans.getOrDefault(b.deploymentId(), 0) + 1L));
            BigDecimal allowedVcpuSeconds = BigDecimal.valueOf(allowed.toMillis()).movePointLeft(3)
                    .multiply(BigDecimal.valueOf(millis).movePointLeft(3));
            if (b.reservedVcpuSeconds().compareTo(allowedVcpuSeconds) > 0) {
                findings.add("deployment " + b.deploymentId() + " is billed " + b.reservedVcpuSeconds()
                        + " vCPU-s, its replicas ran at most " + allowedVcpuSeconds.setScale(3, RoundingMode.UP)
                        + " vCPU-s");
            }
        }
        return findings;
    }

    private static void close(Map<UUID, Duration> wall, Map<UUID, Integer> spans, UUID deployment, Instant from,
            Instant to) {
        if (to.isAfter(from)) {
            wall.merge(deployment, Duration.between(from, to), Duration::plus);
        }
        spans.merge(deployment, 1, Integer::sum);
    }

    /** Per deployment, the desired replicas not yet running as desired (empty: every desired replica RUNNING). */
    public static Map<UUID, Integer> notYetRunning(Collection<Expected> expected,
            Collection<ObservedDeployment> observed) {
        Map<UUID, ObservedDeployment> byId = new HashMap<>();
        observed.forEach(d -> byId.put(d.id(), d));
        Map<UUID, Integer> missing = new LinkedHashMap<>();
        for (Expected e : expected) {
            ObservedDeployment d = byId.get(e.id());
            long running = d == null ? 0 : d.instances().stream().filter(ObservedInstance::runningAsDesired).count();
            if (running < e.replicas()) {
                missing.put(e.id(), (int) (e.replicas() - running));
            }
        }
        return missing;
    }
}
