package dev.nanofleet.node.testing;

import dev.nanofleet.node.core.ControlPlane;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.UsageReport;
import dev.nanofleet.testsupport.Await;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A control plane held in memory that records reports; thread-safe, since workers report too. */
public final class RecordingControlPlane implements ControlPlane {
    private final Map<UUID, Assignment> assignments = new LinkedHashMap<>();
    private final List<Map.Entry<UUID, InstanceStatusReport>> reports = new ArrayList<>();

    public synchronized void assign(Assignment a) {
        assignments.put(a.instanceId(), a);
    }

    public synchronized void unassign(UUID id) {
        assignments.remove(id);
    }

    public synchronized List<InstanceStatusReport> reportsFor(UUID id) {
        return reports.stream().filter(e -> e.getKey().equals(id)).map(Map.Entry::getValue).toList();
    }

    public synchronized InstanceStatusReport lastReport(UUID id) {
        List<InstanceStatusReport> all = reportsFor(id);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Reconciles until the instance's last report is in {@code state}, within {@code deadline}; returns that report.
     */
    public InstanceStatusReport awaitReport(Reconciler reconciler, UUID id, InstanceState state, Duration deadline) {
        return Await.value(deadline, id + " reported " + state, () -> {
            reconciler.reconcile();
            InstanceStatusReport last = lastReport(id);
            if (last == null || last.state() != state) {
                throw new AssertionError("last report: " + last);
            }
            return last;
        });
    }

    @Override
    public PublicKey register(NodeRegistration registration) {
        return GrantKeys.fromSeed(GrantKeys.newSeed()).getPublic();
    }

    @Override
    public void heartbeat() {
    }

    @Override
    public synchronized List<Assignment> fetchAssignments() {
        return List.copyOf(assignments.values());
    }

    @Override
    public void reportUsage(UsageReport report) {
    }

    @Override
    public synchronized ReportOutcome report(UUID instanceId, InstanceStatusReport report) {
        reports.add(Map.entry(instanceId, report));
        return ReportOutcome.ACCEPTED;
    }
}
