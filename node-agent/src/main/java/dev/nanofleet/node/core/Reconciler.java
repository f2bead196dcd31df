package dev.nanofleet.node.core;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.nodeapi.StartTimeline;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Converges what runs on this node to what control-api wants, one pass at a time (level-triggered, in the manner of
 * Strimzi's reconcilers). Every pass runs the same named, idempotent steps:
 *
 * <ol>
 * <li>{@code fetchAssignments}: the full desired list; a pass that cannot fetch it changes nothing</li>
 * <li>{@code observeRuntimes}: what the runtimes run or have seen end; running instances nobody tracks are adopted
 * (this is how a restarted agent picks its instances up again without starting duplicates)</li>
 * <li>{@code rejectUnsupported}: an assignment in an isolation mode this node has no runtime for fails with a
 * reason</li>
 * <li>{@code startMissing}: desired RUNNING, not known: pull (PULLING; straight to STARTING when the image is
 * cached and may be used) and start on a worker</li>
 * <li>{@code restartDue}: ended, and its restart policy's back-off is over: start it again on a worker</li>
 * <li>{@code stopUnwanted}: running but not assigned, or assigned STOPPED or ENDED: stop on a worker; one that
 * publishes ports first drains for the {@link StopDrain} delay (reported STOPPING meanwhile)</li>
 * <li>{@code watchHealth}: a running instance with a health check is checked by {@link HealthChecks}; anything else
 * is not</li>
 * <li>{@code reportChanges}: send every state change not yet accepted by control-api, in order, once</li>
 * <li>{@code forgetRemoved}: free what is no longer assigned and has ended. An ended instance assigned
 * {@link DesiredState#ENDED} keeps its files (its output stays readable) until control-api stops listing it</li>
 * </ol>
 *
 * <p>
 * Threading: {@link #reconcile()} is called from one thread at a time (the agent's loop). Slow work (pulls, starts,
 * stops with their grace period) runs on the {@code workers} executor, which may be a direct executor in tests. State
 * that workers and the loop share lives in {@link Tracked}, guarded by its monitor.
 *
 * <p>
 * Restarts follow the assignment's {@link RestartPolicy}, as Kubernetes' kubelet and Nomad's client do them on the
 * node: an ended process whose policy allows it goes to RESTARTING with a back-off of 1 s doubling to 60 s, then is
 * started again from the same bundle (its files and output kept); a run that lasted {@link #STABLE_RUN} counts as a
 * fresh start. The counts live in memory: a restarted agent starts counting again. A FAILED instance (it could not
 * start at all) is tried again only after an agent restart.
 *
 * <p>
 * Health: each run of an instance with a health check is watched by {@link HealthChecks}, whose verdicts arrive on
 * the check's thread ({@link #onHealth}): a change of health is queued as a RUNNING report carrying it and sent at once
 * (not on the next pass); a run that failed its check {@code failureThreshold} times in a row is ended (TERM, grace,
 * KILL, as a stop) on that thread, and the next pass sees it ended and applies its restart policy as to any failure
 * (even when the process exited 0 on TERM), with the check's words as the reason.
 *
 * <p>
 * Draining: a stop of an instance that publishes ports waits {@link StopDrain#delay()} before TERM (the edge may still
 * send it requests it had in flight or routed before it read its routes again). It is reported STOPPING from the
 * start of the wait, as any stop is. The wait is a task on {@link Delays}, not a blocked thread: passes go on, observe
 * the instance (one that exits by itself meanwhile is STOPPED at once and its wait cancelled) and do not wait again
 * (one drain per stop, also when the stop itself fails and is retried). When the wait is over a worker stops it.
 */
public final class Reconciler {

    public static final String HARDWARE_UNAVAILABLE = "hardware isolation not available on this node";
    /** A run at least this long resets the restarts counted against {@link RestartPolicy#maxRetries()}. */
    public static final Duration STABLE_RUN = Duration.ofMinutes(10);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private static final Logger LOG = System.getLogger(Reconciler.class.getName());

    private final ControlPlane controlPlane;
    private final Map<Isolation, ContainerRuntime> runtimes;
    private final ImageStore images;
    private final Executor workers;
    private final Clock clock;
    private final Duration stopGrace;
    private final HealthChecks health;
    private final StopDrain drain;
    private final Delays delays;
    private final Map<UUID, Tracked> tracked = new ConcurrentHashMap<>();
    private final Object reportLock = new Object();
    private final Executor reports;
    /** A report run is queued on {@link #reports} and has not begun: more requests fold into it. */
    private final AtomicBoolean reportQueued = new AtomicBoolean();
    /** The last list fetched and when; a pass that need not fetch acts on it. Only the loop's thread touches them. */
    private List<Assignment> lastFetched;
    private Instant lastFetchedAt;

    public Reconciler(ControlPlane controlPlane, List<ContainerRuntime> runtimes, ImageStore images, Executor workers,
            Clock clock, Duration stopGrace) {
        this(controlPlane, runtimes, images, workers, clock, stopGrace, HealthChecks.NONE);
    }

    /** @param health runs the instances' health checks; this reconciler becomes its listener */
    public Reconciler(ControlPlane controlPlane, List<ContainerRuntime> runtimes, ImageStore images, Executor workers,
            Clock clock, Duration stopGrace, HealthChecks health) {
        this(controlPlane, runtimes, images, workers, clock, stopGrace, health, Runnable::run);
    }

    /**
     * @param reports where reports a worker queues mid-start are sent from while the worker goes on (the STARTING of an
     *        instance travels while its runtime starts it, so its RUNNING need not wait behind it); a direct executor
     *        sends them on the worker first
     */
    public Reconciler(ControlPlane controlPlane, List<ContainerRuntime> runtimes, ImageStore images, Executor workers,
            Clock clock, Duration stopGrace, HealthChecks health, Executor reports) {
        this(controlPlane, runtimes, images, workers, clock, stopGrace, health, reports, StopDrain.OFF, Delays.NONE);
    }

    /**
     * @param drain how long a stop of an instance that publishes ports waits before it begins
     * @param delays where those waits run (never the caller's thread)
     */
    public Reconciler(ControlPlane controlPlane, List<ContainerRuntime> runtimes, ImageStore images, Executor workers,
            Clock clock, Duration stopGrace, HealthChecks health, Executor reports, StopDrain drain, Delays delays) {
        this.drain = drain;
        this.delays = delays;
        this.reports = reports;
        this.health = health;
        this.controlPlane = controlPlane;
        Map<Isolation, ContainerRuntime> byIsolation = new EnumMap<>(Isolation.class);
        for (ContainerRuntime runtime : runtimes) {
            if (byIsolation.put(runtime.isolation(), runtime) != null) {
                throw new IllegalArgumentException("two runtimes for " + runtime.isolation());
            }
        }
        this.runtimes = Map.copyOf(byIsolation);
        this.images = images;
        this.workers = workers;
        this.clock = clock;
        this.stopGrace = stopGrace;
        health.listen(this::onHealth);
    }

    /** The isolation modes this node can run, for its registration. */
    public Set<Isolation> isolations() {
        return runtimes.keySet();
    }

    /** One pass over a freshly fetched list. */
    public PassSummary reconcile() {
        return reconcile(true);
    }

    /**
     * One pass. Never throws for a failure of control-api or of one instance; those show in the summary and logs.
     *
     * @param fetch whether to fetch the list first; when false the pass acts on the list fetched last (watching the
     *        assignments, the agent knows it did not change), and fetches only when it never fetched one. Either way
     *        the runtimes are observed afresh, so exits and due restarts are acted on.
     */
    public PassSummary reconcile(boolean fetch) {
        Instant began = clock.instant();
        List<Assignment> assignments;
        try {
            if (fetch || lastFetched == null) {
                lastFetched = fetchAssignments();
                lastFetchedAt = clock.instant();
            }
            assignments = lastFetched;
        } catch (ControlPlaneException e) {
            LOG.log(Level.WARNING, "event=reconcile.skipped reason=\"cannot fetch assignments: {0}\"", e.getMessage());
            int reported = reportChanges();
            return new PassSummary(false, 0, 0, 0, reported, Duration.between(began, clock.instant()));
        }
        Map<UUID, Assignment> desired = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            desired.put(a.instanceId(), a);
        }
        Instant fetched = clock.instant();
        Map<UUID, Observed> observed = observeRuntimes(desired);
        Instant observedAt = clock.instant();
        rejectUnsupported(desired);
        int started = startMissing(desired, observed);
        started += restartDue(desired);
        int stopped = stopUnwanted(desired, observed);
        watchHealth();
        int reported = reportChanges();
        forgetRemoved(desired, observed);
        return new PassSummary(true, desired.size(), started, stopped, reported,
                Duration.between(began, clock.instant()), Duration.between(began, fetched), Duration.between(fetched,
                        observedAt));
    }

    /** How many tracked instances are in each state, for metrics. */
    public Map<InstanceState, Integer> countByState() {
        Map<InstanceState, Integer> counts = new EnumMap<>(InstanceState.class);
        for (InstanceState s : InstanceState.values()) {
            counts.put(s, 0);
        }
        tracked.values().forEach(t -> counts.merge(t.state(), 1, Integer::sum));
        return counts;
    }

    /** The last known state of one instance, or null if it is not tracked. */
    public InstanceState stateOf(UUID instanceId) {
        Tracked t = tracked.get(instanceId);
        return t == null ? null : t.state();
    }

    // --- steps ---

    private List<Assignment> fetchAssignments() {
        List<Assignment> list = controlPlane.fetchAssignments();
        return list == null ? List.of() : list;
    }

    private Map<UUID, Observed> observeRuntimes(Map<UUID, Assignment> desired) {
        Map<UUID, Observed> observed = new HashMap<>();
        for (ContainerRuntime runtime : runtimes.values()) {
            List<RuntimeInstance> instances;
            try {
                instances = runtime.list();
            } catch (RuntimeFailure e) {
                LOG.log(Level.ERROR, "event=runtime.list.failed isolation={0} reason=\"{1}\"", runtime.isolation(),
                        e.getMessage());
                continue;
            }
            for (RuntimeInstance instance : instances) {
                observed.put(instance.id(), new Observed(runtime, instance));
            }
        }
        for (Observed o : observed.values()) {
            UUID id = o.instance.id();
            Assignment a = desired.get(id);
            boolean wantedRunning = a != null && a.desiredState() == DesiredState.RUNNING;
            Tracked t = tracked.get(id);
            if (t == null && a != null && a.desiredState() == DesiredState.ENDED
                    && o.instance.status() != Status.RUNNING) {
                continue; // control-api knows it ended; only its files are kept, and there is nothing to report
            }
            if (t == null) {
                t = new Tracked(id, o.runtime.isolation());
                Tracked previous = tracked.putIfAbsent(id, t);
                if (previous != null) {
                    t = previous;
                } else if (o.instance.status() == Status.RUNNING) {
                    LOG.log(Level.INFO, "event=instance.adopted instance={0}", id);
                }
            }
            synchronized (t) {
                if (t.busy || t.state != null && t.state.isTerminal()) {
                    continue;
                }
                if (o.instance.status() == Status.RUNNING) {
                    if (t.state != InstanceState.STOPPING) {
                        if (t.runningSince == null) {
                            t.runningSince = clock.instant();
                            beginRun(t, a);
                        }
                        t.transition(InstanceState.RUNNING, null, null, o.instance.network());
                    }
                } else if (t.stopRequested || !wantedRunning) {
                    if (t.draining != null) {
                        // it ended by itself while draining: nothing left to wait for or to stop
                        t.draining.cancel();
                        t.draining = null;
                        LOG.log(Level.INFO, "event=instance.drain.ended instance={0} reason=exited", id);
                    }
                    t.transition(InstanceState.STOPPED, null, o.instance.exitCode());
                } else if (t.state != InstanceState.RESTARTING) {
                    ended(t, a, o.instance);
                }
            }
        }
        return observed;
    }

    private void rejectUnsupported(Map<UUID, Assignment> desired) {
        for (Assignment a : desired.values()) {
            if (a.desiredState() != DesiredState.RUNNING || tracked.containsKey(a.instanceId())
                    || runtimes.containsKey(a.isolation())) {
                continue;
            }
            String reason = a.isolation() == Isolation.HARDWARE
                    ? HARDWARE_UNAVAILABLE
                    : "isolation " + a.isolation() + " not available on this node";
            Tracked t = track(a.instanceId(), a.isolation());
            synchronized (t) {
                t.transition(InstanceState.FAILED, reason, null);
            }
            LOG.log(Level.WARNING, "event=instance.failed instance={0} reason=\"{1}\"", a.instanceId(), reason);
        }
    }

    private int startMissing(Map<UUID, Assignment> desired, Map<UUID, Observed> observed) {
        int started = 0;
        for (Assignment a : desired.values()) {
            UUID id = a.instanceId();
            if (tracked.containsKey(id) || observed.containsKey(id)) {
                continue;
            }
            if (a.desiredState() == DesiredState.ENDED) {
                continue; // ended before this agent knew it (or its files are gone): nothing to start or report
            }
            Tracked t = track(id, a.isolation());
            t.deliveredAt = lastFetchedAt;
            if (a.desiredState() == DesiredState.STOPPED) {
                synchronized (t) {
                    t.transition(InstanceState.STOPPED, null, null);
                }
                continue;
            }
            ContainerRuntime runtime = runtimes.get(a.isolation());
            // an image the node has (and may use) is not pulled: its start is reported as STARTING from the outset, so
            // the one report this pass sends travels while the worker starts it
            InstanceState first = mustPull(a) ? InstanceState.PULLING : InstanceState.STARTING;
            synchronized (t) {
                t.busy = true;
                t.transition(first, null, null);
            }
            started++;
            LOG.log(Level.INFO, "event=instance.starting instance={0} image={1} isolation={2}", id, a.image(),
                    a.isolation());
            submit(t, () -> pullAndStart(t, a, runtime));
        }
        return started;
    }

    private boolean mustPull(Assignment a) {
        try {
            return images.mustPull(a.image(), a.imageCredentials());
        } catch (RuntimeException e) {
            return true; // the worker's pull says what is wrong
        }
    }

    /** Its process ended by itself: restart it after a back-off if its policy says so, else it has EXITED. */
    private void ended(Tracked t, Assignment a, RuntimeInstance ended) {
        Instant now = clock.instant();
        int exitCode = ended.exitCode() == null ? -1 : ended.exitCode();
        // ended by us for failing its health check: a failure for the restart policy, whatever the process exited with
        String unhealthy = t.endedBecause;
        t.endedBecause = null;
        int policyCode = unhealthy != null && exitCode == 0 ? 1 : exitCode;
        if (t.runningSince != null && !Duration.between(t.runningSince, now).minus(STABLE_RUN).isNegative()) {
            t.restartsInARow = 0;
        }
        t.runningSince = null;
        if (!a.restartPolicy().restarts(policyCode, t.restartsInARow)) {
            t.transition(InstanceState.EXITED, unhealthy != null ? unhealthy : ended.reason(), ended.exitCode());
            LOG.log(Level.INFO, "event=instance.exited instance={0} exitCode={1} reason=\"{2}\" restarts={3}", t.id,
                    ended.exitCode(), ended.reason(), t.restarts);
            return;
        }
        Duration backoff = backoff(t.restartsInARow);
        t.restartAt = now.plus(backoff);
        String why = unhealthy != null ? unhealthy : ended.reason();
        String reason = (why == null ? "exited with code " + exitCode : why) + "; restarting in " + backoff.toSeconds()
                + " s";
        t.transition(InstanceState.RESTARTING, reason, ended.exitCode());
        LOG.log(Level.INFO, "event=instance.restarting instance={0} exitCode={1} backoffS={2} restarts={3}", t.id,
                ended.exitCode(), backoff.toSeconds(), t.restarts);
    }

    /** 1 s, 2 s, 4 s ... up to {@link #MAX_BACKOFF}, by restarts already made in a row. */
    static Duration backoff(int restartsInARow) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(restartsInARow, 16);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    private int restartDue(Map<UUID, Assignment> desired) {
        int restarted = 0;
        Instant now = clock.instant();
        for (Tracked t : tracked.values()) {
            Assignment a = desired.get(t.id);
            ContainerRuntime runtime = a == null ? null : runtimes.get(a.isolation());
            if (runtime == null || a.desiredState() != DesiredState.RUNNING) {
                continue;
            }
            synchronized (t) {
                if (t.busy || t.state != InstanceState.RESTARTING || now.isBefore(t.restartAt)) {
                    continue;
                }
                t.busy = true;
                t.restarts++;
                t.restartsInARow++;
                t.transition(InstanceState.STARTING, null, null);
            }
            restarted++;
            LOG.log(Level.INFO, "event=instance.restart instance={0} restarts={1}", t.id, t.restarts);
            submit(t, () -> pullAndStart(t, a, runtime));
        }
        return restarted;
    }

    private int stopUnwanted(Map<UUID, Assignment> desired, Map<UUID, Observed> observed) {
        int stopping = 0;
        for (Tracked t : tracked.values()) {
            Assignment a = desired.get(t.id);
            boolean wanted = a != null && a.desiredState() == DesiredState.RUNNING;
            if (wanted) {
                continue;
            }
            Observed o = observed.get(t.id);
            Duration wait;
            synchronized (t) {
                if (t.busy) {
                    // a worker is pulling or starting it; it checks this flag before and after starting
                    t.cancelled = true;
                    continue;
                }
                if (t.draining != null) {
                    continue; // one drain per stop: its end starts the stop
                }
                if (o == null || o.instance.status() != Status.RUNNING || t.state == InstanceState.STOPPED) {
                    continue;
                }
                t.stopRequested = true;
                t.transition(InstanceState.STOPPING, null, null);
                wait = drain.before(t.network, t.drained);
                if (wait.isZero() || !drainFirst(t, o.runtime, wait)) {
                    t.busy = true;
                    wait = Duration.ZERO;
                }
            }
            stopping++;
            if (wait.isZero()) {
                LOG.log(Level.INFO, "event=instance.stopping instance={0} assigned={1}", t.id, a != null);
                submit(t, () -> stop(t, o.runtime));
            } else {
                LOG.log(Level.INFO, "event=instance.draining instance={0} delayMs={1} assigned={2}", t.id, String
                        .valueOf(wait.toMillis()), a != null);
            }
        }
        return stopping;
    }

    /**
     * Schedules the end of a drain (with the instance's monitor held, so the task finds it draining); false when the
     * delays take no more tasks (the agent shuts down): the stop then begins at once.
     */
    private boolean drainFirst(Tracked t, ContainerRuntime runtime, Duration wait) {
        try {
            t.draining = delays.after(wait, () -> drained(t, runtime));
            t.drained = true;
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The drain delay is over: the stop proper, on a worker, unless the instance ended by itself meanwhile. */
    private void drained(Tracked t, ContainerRuntime runtime) {
        synchronized (t) {
            if (t.draining == null) {
                return;
            }
            t.draining = null;
            t.busy = true;
        }
        LOG.log(Level.INFO, "event=instance.stopping instance={0} drained=true", t.id);
        submit(t, () -> stop(t, runtime));
    }

    /**
     * Sends queued reports in order. Stops at the first failure to reach control-api; what was not accepted stays
     * queued for the next pass. Called from the loop and from workers, serialised by {@code reportLock}.
     */
    int reportChanges() {
        int sent = 0;
        synchronized (reportLock) {
            for (Tracked t : tracked.values()) {
                while (true) {
                    InstanceStatusReport next;
                    synchronized (t) {
                        next = t.pending.peekFirst();
                    }
                    if (next == null) {
                        break;
                    }
                    ControlPlane.ReportOutcome outcome;
                    try {
                        outcome = controlPlane.report(t.id, next);
                    } catch (ControlPlaneException e) {
                        LOG.log(Level.WARNING, "event=report.deferred instance={0} state={1} reason=\"{2}\"", t.id,
                                next.state(), e.getMessage());
                        return sent;
                    }
                    synchronized (t) {
                        if (outcome == ControlPlane.ReportOutcome.NOT_THIS_NODE) {
                            // control-api disowns it; the next pass's list will not name it and stopUnwanted acts
                            t.pending.clear();
                            LOG.log(Level.INFO, "event=report.disowned instance={0}", t.id);
                        } else {
                            t.pending.pollFirst();
                            sent++;
                        }
                    }
                }
            }
        }
        return sent;
    }

    private void forgetRemoved(Map<UUID, Assignment> desired, Map<UUID, Observed> observed) {
        for (Tracked t : new ArrayList<>(tracked.values())) {
            if (desired.containsKey(t.id)) {
                continue;
            }
            Observed o = observed.get(t.id);
            synchronized (t) {
                // the observation may predate a stop a worker finished during this pass: trust the tracked state
                if (t.busy || t.state == null || !t.state.isTerminal() || !t.pending.isEmpty()) {
                    continue;
                }
            }
            if (o != null) {
                try {
                    o.runtime.remove(t.id);
                } catch (RuntimeFailure e) {
                    LOG.log(Level.WARNING, "event=instance.remove.failed instance={0} reason=\"{1}\"", t.id,
                            e.getMessage());
                    continue;
                }
            }
            tracked.remove(t.id);
            health.unwatch(t.id);
            LOG.log(Level.INFO, "event=instance.forgotten instance={0}", t.id);
        }
    }

    /** Every running instance with a check is watched (idempotent per run), every other one is not. */
    private void watchHealth() {
        for (Tracked t : tracked.values()) {
            watchHealth(t);
        }
    }

    private void watchHealth(Tracked t) {
        HealthChecks.Watch watch = null;
        synchronized (t) {
            // not t.busy: a worker that just started the run is still busy reporting it, and its first check is due now
            if (t.state == InstanceState.RUNNING && t.check != null && !t.stopRequested && t.endedBecause == null) {
                watch = new HealthChecks.Watch(t.id, t.run, t.isolation, t.check, t.network == null
                        ? null
                        : t.network.address(), t.runningSince);
            }
        }
        if (watch != null) {
            health.watch(watch);
        } else {
            health.unwatch(t.id);
        }
    }

    /** A new run of an instance began (started, restarted or adopted): its health starts over. */
    private void beginRun(Tracked t, Assignment a) {
        t.run++;
        t.check = a == null ? null : a.healthCheck();
        t.health = t.check == null ? null : InstanceHealth.STARTING;
        t.healthReason = null;
        t.endedBecause = null;
    }

    /**
     * A verdict of {@link HealthChecks}, on the check's thread: report the health of the run at once, and end a run
     * that failed its check too often (the next pass applies its restart policy).
     */
    void onHealth(HealthChecks.Verdict verdict) {
        Tracked t = tracked.get(verdict.instanceId());
        if (t == null) {
            return;
        }
        boolean end;
        synchronized (t) {
            if (t.run != verdict.run() || t.state != InstanceState.RUNNING) {
                return; // about a run that is over
            }
            t.health = verdict.health();
            t.healthReason = verdict.reason();
            t.transition(InstanceState.RUNNING, null, null, t.network);
            end = verdict.endProcess() && !t.busy && !t.stopRequested;
            if (end) {
                t.busy = true;
                t.endedBecause = verdict.endReason();
            }
        }
        LOG.log(Level.INFO, "event=instance.health instance={0} health={1} reason=\"{2}\"", t.id, verdict.health(),
                verdict.reason());
        reportChanges();
        if (end) {
            endUnhealthy(t, verdict.endReason());
        }
    }

    /** TERM, grace, KILL, as a stop; but not a stop: the process ended by failure, so its restart policy decides. */
    private void endUnhealthy(Tracked t, String reason) {
        LOG.log(Level.WARNING, "event=instance.unhealthy instance={0} reason=\"{1}\"", t.id, reason);
        ContainerRuntime runtime = runtimes.get(t.isolation);
        try {
            runtime.stop(t.id, stopGrace);
            health.unwatch(t.id);
        } catch (RuntimeException e) {
            // it still runs as far as we know: its check keeps failing and asks again
            LOG.log(Level.ERROR, "event=instance.unhealthy.end.failed instance={0} reason=\"{1}\"", t.id,
                    e.getMessage());
            synchronized (t) {
                t.endedBecause = null;
            }
        } finally {
            synchronized (t) {
                t.busy = false;
            }
        }
    }

    // --- workers ---

    /** Pulls and starts an instance, or starts a restarting one again from the bundle it ran from. */
    private void pullAndStart(Tracked t, Assignment a, ContainerRuntime runtime) {
        Instant began = clock.instant();
        try {
            PreparedImage image;
            synchronized (t) {
                image = t.image;
            }
            boolean firstStart = image == null;
            if (firstStart) {
                image = images.prepare(a.image(), a.imageCredentials(), runtime.bundleDir(a.instanceId()));
            }
            Instant pulledAt = clock.instant();
            synchronized (t) {
                t.image = image;
                if (t.cancelled) {
                    t.transition(InstanceState.STOPPED, null, null);
                    return;
                }
                t.transition(InstanceState.STARTING, null, null);
            }
            requestReport();
            runtime.start(a, image);
            Instant startedAt = clock.instant();
            InstanceNetwork network = runtime.network(a.instanceId()).orElse(null);
            synchronized (t) {
                t.runningSince = startedAt;
                if (firstStart) {
                    // the report of this start tells control-api when each of the node's steps happened
                    t.startTimeline = new StartTimeline(t.deliveredAt, pulledAt, startedAt);
                }
                beginRun(t, a);
                t.transition(InstanceState.RUNNING, null, null, network);
            }
            watchHealth(t);
            LOG.log(Level.INFO, "event=instance.running instance={0} digest={1} tookMs={2}", a.instanceId(),
                    image.digest(), Duration.between(began, clock.instant()).toMillis());
            boolean cancelled;
            synchronized (t) {
                cancelled = t.cancelled;
                if (cancelled) {
                    t.stopRequested = true;
                    t.transition(InstanceState.STOPPING, null, null);
                }
            }
            if (cancelled) {
                runtime.stop(a.instanceId(), stopGrace);
                synchronized (t) {
                    t.transition(InstanceState.STOPPED, null, null);
                }
            }
        } catch (ImagePullException e) {
            fail(t, "image pull failed: " + e.getMessage());
        } catch (RuntimeFailure e) {
            fail(t, "start failed: " + e.getMessage());
        } catch (RuntimeException e) {
            fail(t, "start failed: " + e);
        } finally {
            synchronized (t) {
                t.busy = false;
            }
            reportChanges();
        }
    }

    /** Sends what is queued from {@link #reports}; requests while one is queued fold into it. */
    private void requestReport() {
        if (!reportQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            reports.execute(() -> {
                reportQueued.set(false);
                reportChanges();
            });
        } catch (RejectedExecutionException e) {
            reportQueued.set(false); // shutting down; the worker's own send (or the next pass) still goes
        }
    }

    private void stop(Tracked t, ContainerRuntime runtime) {
        try {
            runtime.stop(t.id, stopGrace);
            synchronized (t) {
                t.transition(InstanceState.STOPPED, null, null);
            }
            LOG.log(Level.INFO, "event=instance.stopped instance={0}", t.id);
        } catch (RuntimeException e) {
            // still running as far as we know: the next pass observes it and tries again
            LOG.log(Level.ERROR, "event=instance.stop.failed instance={0} reason=\"{1}\"", t.id, e.getMessage());
            synchronized (t) {
                t.stopRequested = false;
                t.state = InstanceState.RUNNING;
            }
        } finally {
            synchronized (t) {
                t.busy = false;
            }
            reportChanges();
        }
    }

    private void fail(Tracked t, String reason) {
        LOG.log(Level.WARNING, "event=instance.failed instance={0} reason=\"{1}\"", t.id, reason);
        synchronized (t) {
            t.transition(InstanceState.FAILED, reason, null);
        }
    }

    private void submit(Tracked t, Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            synchronized (t) {
                t.busy = false;
            }
            LOG.log(Level.WARNING, "event=worker.rejected instance={0}", t.id);
        }
    }

    private Tracked track(UUID id, Isolation isolation) {
        return tracked.computeIfAbsent(id, k -> new Tracked(k, isolation));
    }

    private record Observed(ContainerRuntime runtime, RuntimeInstance instance) {
    }

    /**
     * What one pass did.
     *
     * @param fetchTook getting the list (zero when the last one was used)
     * @param observeTook asking the runtimes what runs: both lie between a change reaching the node and its start
     */
    public record PassSummary(boolean assignmentsFetched, int desired, int startsRequested, int stopsRequested,
            int reportsSent, Duration took, Duration fetchTook, Duration observeTook) {

        public PassSummary(boolean assignmentsFetched, int desired, int startsRequested, int stopsRequested,
                int reportsSent, Duration took) {
            this(assignmentsFetched, desired, startsRequested, stopsRequested, reportsSent, took, Duration.ZERO,
                    Duration.ZERO);
        }
    }

    /** One instance as the reconciler knows it. Fields are guarded by the instance's monitor. */
    private final class Tracked {
        final UUID id;
        final Isolation isolation;
        final Deque<InstanceStatusReport> pending = new ArrayDeque<>();
        InstanceState state;
        InstanceStatusReport last;
        boolean busy;
        boolean cancelled;
        boolean stopRequested;
        /** The end of this stop's drain, while it waits (see {@link StopDrain}); null otherwise. */
        Delays.Pending draining;
        /** This stop drained already: a retry after a failed stop does not wait again. */
        boolean drained;
        Instant since;
        /** What it was started from; a restart runs the same bundle again. Null for an adopted instance. */
        PreparedImage image;
        Instant runningSince;
        /** Restarts made under the restart policy: in all (reported), and since the last stable run. */
        int restarts;
        int restartsInARow;
        Instant restartAt;
        /** Counts runs (starts, restarts, adoptions): a health verdict is about one run. */
        long run;
        /** This run's health check (null: none), its health and the last failed check's words. */
        HealthCheck check;
        InstanceHealth health;
        String healthReason;
        /** Where the running instance is reachable, from its last RUNNING observation. */
        InstanceNetwork network;
        /** Why the agent ended this run for failing its health check; null when it did not. */
        String endedBecause;
        /** When a pass first saw it in a fetched list (null for an adopted instance). */
        Instant deliveredAt;
        /** The node's times of its first start, sent once with the next RUNNING report; null once sent. */
        StartTimeline startTimeline;

        Tracked(UUID id, Isolation isolation) {
            this.id = id;
            this.isolation = isolation;
        }

        synchronized InstanceState state() {
            return state == null ? InstanceState.SCHEDULED : state;
        }

        /** Moves to a state and queues its report, unless it is the state last queued. */
        void transition(InstanceState next, String reason, Integer exitCode) {
            transition(next, reason, exitCode, null);
        }

        /** Like {@link #transition(InstanceState, String, Integer)}, with where a RUNNING instance is reachable. */
        void transition(InstanceState next, String reason, Integer exitCode, InstanceNetwork network) {
            boolean running = next == InstanceState.RUNNING;
            if (running && network != null) {
                this.network = network;
            }
            InstanceStatusReport report = new InstanceStatusReport(next, reason, exitCode, restarts, network,
                    running ? health : null, running ? healthReason : null);
            state = next;
            since = clock.instant();
            if (!report.equals(last)) {
                last = report;
                // the timeline rides on the first RUNNING report only: it is about the start, not the state
                if (running && startTimeline != null) {
                    report = report.withTimeline(startTimeline);
                    startTimeline = null;
                }
                pending.addLast(report);
            }
        }
    }
}
