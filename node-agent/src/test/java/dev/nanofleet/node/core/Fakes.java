package dev.nanofleet.node.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.RegistryCredentials;
import dev.nanofleet.nodeapi.UsageReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory implementations of the ports, in the manner of Nomad's scheduler Harness. */
final class Fakes {
    private Fakes() {
    }

    static Assignment assignment(UUID id, Isolation isolation, DesiredState desired) {
        return new Assignment(id, UUID.nameUUIDFromBytes(("d" + id).getBytes()), "acme", "registry.test/app:1",
                isolation, new Resources(250, 64), List.of(), Map.of(), desired);
    }

    static final class FakeControlPlane implements ControlPlane {
        final Map<UUID, Assignment> assignments = new LinkedHashMap<>();
        /** The reports accepted, without their start timeline (tests compare states); that is in {@link #timelines}. */
        final List<Map.Entry<UUID, InstanceStatusReport>> reports = new ArrayList<>();
        final Map<UUID, dev.nanofleet.nodeapi.StartTimeline> timelines = new LinkedHashMap<>();
        final Set<UUID> disowned = new HashSet<>();
        int fetches;
        boolean down;

        void assign(Assignment a) {
            assignments.put(a.instanceId(), a);
        }

        List<InstanceStatusReport> reportsFor(UUID id) {
            return reports.stream().filter(e -> e.getKey().equals(id)).map(Map.Entry::getValue).toList();
        }

        @Override
        public java.security.PublicKey register(NodeRegistration registration) {
            return dev.nanofleet.nodeapi.GrantKeys.fromSeed(dev.nanofleet.nodeapi.GrantKeys.newSeed()).getPublic();
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public List<Assignment> fetchAssignments() {
            fetches++;
            if (down) {
                throw new ControlPlaneException("connection refused");
            }
            return List.copyOf(assignments.values());
        }

        final List<UsageReport> usage = new ArrayList<>();

        @Override
        public void reportUsage(UsageReport report) {
            if (down) {
                throw new ControlPlaneException("connection refused");
            }
            usage.add(report);
        }

        @Override
        public ReportOutcome report(UUID instanceId, InstanceStatusReport report) {
            if (down) {
                throw new ControlPlaneException("connection refused");
            }
            if (disowned.contains(instanceId)) {
                return ReportOutcome.NOT_THIS_NODE;
            }
            reports.add(Map.entry(instanceId, report.withTimeline(null)));
            if (report.timeline() != null) {
                timelines.put(instanceId, report.timeline());
            }
            return ReportOutcome.ACCEPTED;
        }
    }

    static final class FakeRuntime implements ContainerRuntime {
        final Map<UUID, RuntimeInstance> instances = new ConcurrentHashMap<>();
        final List<UUID> starts = new ArrayList<>();
        final List<UUID> stops = new ArrayList<>();
        final List<UUID> removes = new ArrayList<>();
        String failStartWith;
        /** Set: every stop fails with this (the instance keeps running). */
        String failStopWith;
        /** Where started instances are reachable; null: no network. */
        dev.nanofleet.nodeapi.InstanceNetwork network;

        @Override
        public Isolation isolation() {
            return Isolation.SHARED;
        }

        @Override
        public Path bundleDir(UUID instanceId) {
            return Path.of("/nonexistent/instances", instanceId.toString(), "bundle");
        }

        @Override
        public List<RuntimeInstance> list() {
            return List.copyOf(instances.values());
        }

        @Override
        public Optional<RuntimeInstance> state(UUID instanceId) {
            return Optional.ofNullable(instances.get(instanceId));
        }

        @Override
        public void start(Assignment assignment, PreparedImage image) {
            if (failStartWith != null) {
                throw new RuntimeFailure(failStartWith);
            }
            starts.add(assignment.instanceId());
            instances.put(assignment.instanceId(), RuntimeInstance.running(assignment.instanceId(), network));
        }

        @Override
        public void stop(UUID instanceId, Duration grace) {
            stops.add(instanceId);
            if (failStopWith != null) {
                throw new RuntimeFailure(failStopWith);
            }
            instances.computeIfPresent(instanceId, (id, i) -> i.status() == Status.RUNNING
                    ? RuntimeInstance.exited(id, 143, null)
                    : i);
        }

        @Override
        public void remove(UUID instanceId) {
            removes.add(instanceId);
            instances.remove(instanceId);
        }

        @Override
        public Optional<Usage> usage(UUID instanceId) {
            RuntimeInstance instance = instances.get(instanceId);
            return instance == null || instance.status() != Status.RUNNING
                    ? Optional.empty()
                    : Optional.of(new Usage(instanceId.getLeastSignificantBits() & 0xffff, 4096));
        }

        void exit(UUID id, int code, String reason) {
            instances.put(id, RuntimeInstance.exited(id, code, reason));
        }
    }

    /**
     * Delays that run when a test moves its clock: {@link #runDue()} runs every task whose time has come, in the order
     * of their times.
     */
    static final class ManualDelays implements Delays {
        private final dev.nanofleet.node.testing.MovableClock clock;
        final List<Scheduled> scheduled = new ArrayList<>();
        boolean refuse;

        ManualDelays(dev.nanofleet.node.testing.MovableClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized Pending after(Duration delay, Runnable task) {
            if (refuse) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            Scheduled s = new Scheduled(clock.instant().plus(delay), task);
            scheduled.add(s);
            return () -> s.cancelled = true;
        }

        /** Tasks neither run nor cancelled. */
        synchronized List<Scheduled> waiting() {
            return scheduled.stream().filter(s -> !s.ran && !s.cancelled).toList();
        }

        /** Moves the clock and runs what became due. */
        void advance(Duration by) {
            clock.advance(by);
            runDue();
        }

        void runDue() {
            List<Scheduled> due;
            synchronized (this) {
                due = waiting().stream().filter(s -> !s.at.isAfter(clock.instant())).sorted(java.util.Comparator
                        .comparing(s -> s.at)).toList();
                due.forEach(s -> s.ran = true);
            }
            due.forEach(s -> s.task.run());
        }

        static final class Scheduled {
            final java.time.Instant at;
            final Runnable task;
            boolean ran;
            boolean cancelled;

            Scheduled(java.time.Instant at, Runnable task) {
                this.at = at;
                this.task = task;
            }
        }
    }

    static final class FakeImageStore implements ImageStore {
        final Map<String, ImagePullException> failures = new LinkedHashMap<>();
        /** Images the store has and may use without asking a registry: no PULLING for them. */
        final java.util.Set<String> cached = new java.util.HashSet<>();
        int pulls;

        @Override
        public boolean mustPull(String imageReference, RegistryCredentials credentials) {
            return !cached.contains(imageReference);
        }

        @Override
        public PreparedImage prepare(String imageReference, RegistryCredentials credentials, Path bundleDir) {
            pulls++;
            ImagePullException failure = failures.get(imageReference);
            if (failure != null) {
                throw failure;
            }
            return new PreparedImage(imageReference, "sha256:0000", bundleDir);
        }
    }
}
