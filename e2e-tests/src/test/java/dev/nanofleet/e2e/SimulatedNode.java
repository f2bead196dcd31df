package dev.nanofleet.e2e;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.AssignmentList;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeEnrollment;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.StartTimeline;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node agent as control-api sees it over HTTP, without containers: it enrolls with a join token, registers, sends
 * a heartbeat every interval, holds the assignment watch (Server-Sent Events) and fetches its assignment list when the
 * watch connects or announces a change, and at least every resync interval (every reconcile interval while no watch is
 * open), exactly as node-agent's {@code HttpControlPlane}, {@code AssignmentWatch} and {@code ReconcileLoop} do. Each
 * newly assigned instance is reported in the states the real agent sends for a start (by default PULLING, STARTING,
 * RUNNING, one PUT each, in order) with the start timeline on the RUNNING report; an instance to stop is reported
 * STOPPING then STOPPED. Nothing runs.
 *
 * <p>
 * Passes of one node run one at a time on virtual threads, and a request that arrives while one runs folds into one more
 * pass after it (like the agent's {@code ReconcileLoop}). The watch is read asynchronously (no thread per stream), so
 * 10,000 of them fit in one JVM: the limit is sockets (one per open watch, plus the pooled ones of requests).
 */
final class SimulatedNode {

    private final SimulatedFleet fleet;
    private final HttpClient http;
    volatile String name;
    private volatile String base;
    private boolean enrollTried;
    private volatile String credential;
    /** When this node first saw each instance in its list (the timeline's deliveredAt). */
    private final Map<UUID, Instant> delivered = new ConcurrentHashMap<>();
    /** The last state this node reported for each instance it holds. */
    private final Map<UUID, InstanceState> reported = new ConcurrentHashMap<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean beating = new AtomicBoolean();
    private final ReentrantLock passLock = new ReentrantLock();
    private volatile boolean watching;
    private volatile boolean closed;
    private volatile long lastFetchNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile Duration watchBackoff = Duration.ofMillis(500);
    private volatile Flow.Subscription watchSubscription;

    SimulatedNode(SimulatedFleet fleet, HttpClient http, String name) {
        this.fleet = fleet;
        this.http = http;
        this.name = name;
        this.base = fleet.api() + NodeApi.BASE.replace("{node}", URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    /** {@code POST /v1/node-enrollments} with the join token in the body; keeps the node credential it answers. */
    void enroll(String joinToken) {
        HttpResponse<String> r = fleet.call("enroll", http, HttpRequest.newBuilder(URI.create(fleet.api()
                + NodeApi.ENROLLMENTS)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString(fleet.json(new NodeEnrollment(joinToken, name)))));
        if (r != null && r.statusCode() == 409 && enrollTried) {
            // an earlier try timed out here but enrolled there: its credential is lost, so this node takes a new name
            rename(name + "r");
            throw new IllegalStateException("node enrolled by a try that timed out; enrolling as " + name);
        }
        enrollTried = true;
        expect(r, 201, "enrollment");
        credential = fleet.read(r.body(), NodeEnrollment.Enrolled.class).credential();
    }

    private void rename(String newName) {
        name = newName;
        base = fleet.api() + NodeApi.BASE.replace("{node}", URLEncoder.encode(newName, StandardCharsets.UTF_8));
    }

    /** Registers the capacity the fleet gives every simulated node, both isolation modes and the simulated label. */
    void register(Resources allocatable) {
        NodeRegistration registration = new NodeRegistration(allocatable, EnumSet.of(Isolation.SHARED,
                Isolation.HARDWARE), Map.of(SimulatedFleet.LABEL, "true"), "simulated");
        HttpResponse<String> r = fleet.call("register", http, authorized(base + "/registration")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(fleet.json(registration))));
        expect(r, 200, "registration");
    }

    /** One heartbeat; skipped while the last one is still under way (the agent beats on a fixed delay, one at a time). */
    void heartbeat() {
        if (closed || !beating.compareAndSet(false, true)) {
            return;
        }
        try {
            HttpResponse<String> r = fleet.call("heartbeat", http, authorized(base + "/heartbeat")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (r != null && r.statusCode() != 204) {
                fleet.failed("heartbeat", r.statusCode() + " " + r.body());
            }
        } finally {
            beating.set(false);
        }
    }

    /** The agent's reconcile tick: without a watch it fetches every tick, with one at least every resync interval. */
    void tick() {
        if (!closed && (!watching || System.nanoTime() - lastFetchNanos >= fleet.resyncInterval().toNanos())) {
            requestPass();
        }
    }

    boolean watching() {
        return watching;
    }

    /** What this node reported RUNNING and still holds. */
    int running() {
        return (int) reported.values().stream().filter(s -> s == InstanceState.RUNNING).count();
    }

    void close() {
        closed = true;
        Flow.Subscription s = watchSubscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** A pass as soon as the one running (if any) is done; requests meanwhile fold into that one. */
    void requestPass() {
        if (queued.compareAndSet(false, true)) {
            fleet.execute(this::runQueued);
        }
    }

    private void runQueued() {
        passLock.lock();
        try {
            queued.set(false);
            if (!closed) {
                pass();
            }
        } finally {
            passLock.unlock();
        }
    }

    private void pass() {
        lastFetchNanos = System.nanoTime();
        HttpResponse<String> r = fleet.call("fetch", http, authorized(base + "/assignments").GET());
        if (r == null || r.statusCode() != 200) {
            if (r != null) {
                fleet.failed("fetch", r.statusCode() + " " + r.body());
            }
            return;
        }
        List<Assignment> assignments = fleet.read(r.body(), AssignmentList.class).assignments();
        Instant seen = Instant.now();
        Set<UUID> listed = new HashSet<>();
        for (Assignment a : assignments == null ? List.<Assignment>of() : assignments) {
            listed.add(a.instanceId());
            Instant deliveredAt = delivered.computeIfAbsent(a.instanceId(), id -> seen);
            InstanceState last = reported.get(a.instanceId());
            if (a.desiredState() == DesiredState.RUNNING && last != InstanceState.RUNNING) {
                start(a, deliveredAt, last);
            } else if (a.desiredState() != DesiredState.RUNNING && last == InstanceState.RUNNING) {
                report(a.instanceId(), InstanceState.STOPPING, null);
                report(a.instanceId(), InstanceState.STOPPED, null);
            }
        }
        delivered.keySet().retainAll(listed);
        reported.keySet().retainAll(listed);
    }

    /**
     * The reports of a start, in the agent's order, from the one after {@code last} (a report that failed is sent
     * again by the next pass, as the agent keeps it queued); the timeline rides on RUNNING only.
     */
    private void start(Assignment a, Instant deliveredAt, InstanceState last) {
        Instant pulledAt = deliveredAt;
        List<InstanceState> states = fleet.startReports();
        int from = last == null ? 0 : states.indexOf(last) + 1; // List.of refuses to look for null
        for (InstanceState state : states.subList(from, states.size())) {
            if (state == InstanceState.STARTING) {
                pulledAt = Instant.now(); // the image is "ready" once STARTING is sent, as in the agent
            }
            StartTimeline timeline = state == InstanceState.RUNNING
                    ? new StartTimeline(deliveredAt, pulledAt.isBefore(deliveredAt) ? deliveredAt : pulledAt,
                            Instant.now())
                    : null;
            if (!report(a.instanceId(), state, timeline)) {
                return;
            }
        }
    }

    /** @return whether control-api took it (a 404 means the instance is not on this node any more) */
    private boolean report(UUID instance, InstanceState state, StartTimeline timeline) {
        InstanceStatusReport report = new InstanceStatusReport(state, null, null, 0, null, null, null, timeline);
        HttpResponse<String> r = fleet.call("report", http, authorized(base + "/instances/" + instance + "/status")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(fleet.json(report))));
        if (r == null) {
            return false;
        }
        if (r.statusCode() == 204) {
            reported.put(instance, state);
            if (state == InstanceState.RUNNING) {
                fleet.reportedRunning(instance, name);
            }
            return true;
        }
        if (r.statusCode() != 404) {
            fleet.failed("report", r.statusCode() + " " + r.body());
        }
        return false;
    }

    /** Opens the watch; when it ends it is opened again after a back-off (500 ms doubling to 30 s), as the agent does. */
    void openWatch() {
        if (closed) {
            return;
        }
        HttpRequest request = authorized(base + "/assignments/watch").header("Accept", "text/event-stream").GET()
                .build();
        long began = System.nanoTime();
        http.sendAsync(request, info -> {
            fleet.latency("watch").record(System.nanoTime() - began);
            boolean stream = info.statusCode() == 200 && info.headers().firstValue("Content-Type")
                    .map(t -> t.toLowerCase().startsWith("text/event-stream")).orElse(false);
            if (!stream) {
                fleet.failed("watch", "HTTP " + info.statusCode());
                return HttpResponse.BodySubscribers.discarding();
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(new EventLines());
        }).whenComplete((response, error) -> {
            watching = false;
            watchSubscription = null;
            if (closed) {
                return;
            }
            if (error != null) {
                fleet.failed("watch", String.valueOf(error));
            }
            Duration wait = watchBackoff;
            watchBackoff = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                    ? Duration.ofSeconds(30)
                    : wait.multipliedBy(2);
            fleet.schedule(this::openWatch, wait);
        });
    }

    /** The watch's lines: {@code event:}/{@code data:} fields, a blank line ends an event, {@code :} a comment. */
    private final class EventLines implements Flow.Subscriber<String> {
        private String event;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            watchSubscription = subscription;
            watching = true;
            watchBackoff = Duration.ofMillis(500);
            subscription.request(Long.MAX_VALUE);
            requestPass(); // connected: what changed while no stream was open is unknown, so fetch once
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (NodeApi.WATCH_CHANGED.equals(event)) {
                    requestPass();
                }
                event = null;
            } else if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            watching = false;
        }

        @Override
        public void onComplete() {
            watching = false;
        }
    }

    private HttpRequest.Builder authorized(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + credential).header("Accept", "application/json");
    }

    private void expect(HttpResponse<String> r, int status, String what) {
        if (r == null || r.statusCode() != status) {
            throw new IllegalStateException("node " + name + ": " + what + " answered "
                    + (r == null ? "nothing" : r.statusCode() + " " + r.body()));
        }
    }
}
