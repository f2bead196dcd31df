package dev.nanofleet.node.app;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.node.controlplane.AssignmentWatch;
import dev.nanofleet.node.controlplane.HttpControlPlane;
import dev.nanofleet.node.controlplane.NodeCredential;
import dev.nanofleet.node.controlplane.WatchConnection;
import dev.nanofleet.node.core.AssignmentFreshness;
import dev.nanofleet.node.core.ContainerRuntime;
import dev.nanofleet.node.core.ControlPlane;
import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.node.core.Delays;
import dev.nanofleet.node.core.ImageCollector;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.core.StopDrain;
import dev.nanofleet.node.core.UsageSampler;
import dev.nanofleet.node.exec.ExecRefused;
import dev.nanofleet.node.exec.InstanceExec;
import dev.nanofleet.node.health.ExecProbe;
import dev.nanofleet.node.health.HealthMonitor;
import dev.nanofleet.node.health.HttpProbe;
import dev.nanofleet.node.health.InstanceCommand;
import dev.nanofleet.node.health.Probes;
import dev.nanofleet.node.health.RuncInstanceCommand;
import dev.nanofleet.node.health.TcpProbe;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.net.PoolUnavailableException;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.upgrade.OsUpgrader;
import dev.nanofleet.node.upgrade.Reboot;
import dev.nanofleet.node.upgrade.ReleaseSource;
import dev.nanofleet.node.upgrade.UpgradeTrigger;
import dev.nanofleet.node.vm.HardwareSetup;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import java.io.InputStream;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.NodeRegistration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the adapters to the core and runs the loops: register (with backoff until control-api answers), then heartbeat
 * and reconcile on fixed delays. Instances are left running on shutdown: a restarted agent adopts them.
 */
@ApplicationScoped
public class NodeAgent {

    private static final Logger LOG = Logger.getLogger(NodeAgent.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** control-api writes a heartbeat comment every 15 s: three missed and the stream is taken for dead. */
    private static final Duration WATCH_IDLE_TIMEOUT = Duration.ofSeconds(45);
    /** Registration label naming how VMs run here: {@code kvm} or {@code tcg}. */
    public static final String HARDWARE_ACCEL_LABEL = "nanofleet.dev/hardware-accel";

    private final NodeConfig config;
    private final NodeLogs logs;
    private final NodeExecs execs;
    private final MeterRegistry meters;
    private final String agentVersion;
    private final AtomicReference<String> registrationError = new AtomicReference<>("not registered yet");
    private volatile boolean registered;
    private volatile Reconciler reconciler;
    private volatile UsageSampler usage;
    private volatile ImageCollector imageCollector;
    private volatile String ociRuntime;
    private volatile String hardwareStatus;
    private volatile String networkStatus;
    private volatile NodeNetwork network;
    private volatile HealthMonitor healthMonitor;
    private ScheduledExecutorService loop;
    private ExecutorService workers;
    /** Sends the reports workers queue mid-start (see {@link Reconciler}). */
    private ExecutorService reports;
    private volatile Supplier<WatchConnection> openWatch;
    private ScheduledExecutorService passes;
    /** Ends stops' drain delays (see {@link StopDrain}); shut down with the agent, leaving draining instances running. */
    private ScheduledExecutorService drains;
    private AssignmentWatch watch;

    public NodeAgent(NodeConfig config, NodeLogs logs, NodeExecs execs, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String agentVersion) {
        this.config = config;
        this.logs = logs;
        this.execs = execs;
        this.meters = meters;
        this.agentVersion = agentVersion;
    }

    void onStart(@Observes StartupEvent event) {
        NodeConfigCheck.validate(config);
        try {
            Files.createDirectories(config.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create nanofleet.node.state-dir " + config.stateDir(), e);
        }
        OciRuntimeDetector.Detected oci = OciRuntimeDetector.detect(config.runtime().ociCandidates(),
                config.stateDir().resolve("probe"));
        ociRuntime = oci.binary();
        ChosenOciRuntime.record(config.stateDir(), oci.binary());
        LOG.infof("event=runtime.detected binary=%s version=\"%s\" rejected=\"%s\"", oci.binary(), oci.version(),
                String.join("; ", oci.rejected()));

        Clock clock = Clock.systemUTC();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        NodeCredential credential = new NodeCredential(http, config.controlApiUrl(), config.name(), config.stateDir(),
                config.joinToken());
        HttpControlPlane controlPlane = new HttpControlPlane(http, config.controlApiUrl(), config.name(), credential,
                clock);
        openWatch = controlPlane::openAssignmentWatch;
        network = setUpNetwork();
        if (network != null) {
            NodeNetwork privateNetworks = network;
            controlPlane.onPrivateNetworks(privateNetworks::applyPrivateNetworks);
        }
        RuncRuntime runtime = new RuncRuntime(oci.binary(), config.stateDir(), HostFacts.hardLimits(), network,
                config.runtime().cgroupParent());
        SkopeoImageStore images = new SkopeoImageStore(config.stateDir(), config.registry().tlsVerify(),
                config.registry().digestTtl(), clock, NodeConfigCheck.mirrors(config));
        AtomicInteger workerCount = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.workers(),
                r -> daemon(r, "node-worker-" + workerCount.incrementAndGet()));
        List<ContainerRuntime> runtimes = new ArrayList<>(List.of(runtime));
        Map<String, String> labels = new TreeMap<>(config.labels());
        NodeConfig.Hardware hw = config.hardware();
        HardwareSetup.Outcome hardware = HardwareSetup.setUp(hw.enabled(), hw.qemu(), hw.busybox(), hw.accelerator(),
                hw.kernelPackage(), hw.kernelCache().orElse(config.stateDir().resolve("guest-kernel")),
                config.stateDir(), hw.bootTimeout(), network);
        hardware.runtime().ifPresentOrElse(vm -> {
            runtimes.add(vm);
            labels.putIfAbsent(HARDWARE_ACCEL_LABEL, vm.accelerator().accelerator().qemuName());
            LOG.infof("event=hardware.enabled %s", hardware.reason());
        }, () -> LOG.warnf("event=hardware.unavailable reason=\"%s\"", hardware.reason()));
        hardwareStatus = hardware.reason();
        execs.use(runtime, hardware.runtime());
        healthMonitor = healthMonitor(runtime, clock);
        reports = Executors.newSingleThreadExecutor(r -> daemon(r, "node-report"));
        drains = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-drain"));
        reconciler = new Reconciler(controlPlane, runtimes, images, workers, clock, config.stopGracePeriod(),
                healthMonitor, reports, new StopDrain(config.stop().drainDelay()), delays(drains));
        usage = new UsageSampler(controlPlane, runtimes, clock);
        imageCollector = new ImageCollector(images, runtimes, clock, config.imageGcGrace());
        registerMetrics();

        Optional<String> osVersion = HostFacts.osImageVersion(config.osUpgrade().imageVersionFile());
        Optional<String> bootSlot = HostFacts.bootSlot();
        osVersion.ifPresent(version -> controlPlane.onOsUpgrade(osUpgrades(controlPlane, version, bootSlot
                .orElse(null))));
        NodeRegistration registration = new NodeRegistration(NodeConfigCheck.allocatable(config),
                reconciler.isolations(), labels, agentVersion, config.agentUrl().map(Object::toString).orElse(null),
                osVersion.orElse(null), bootSlot.orElse(null));
        LOG.infof("event=agent.starting node=%s controlApi=%s stateDir=%s allocatable=%s isolations=%s", config.name(),
                config.controlApiUrl(), config.stateDir(), registration.allocatable(), registration.isolations());
        loop = Executors.newScheduledThreadPool(2, r -> daemon(r, "node-loop"));
        loop.execute(() -> registerWithBackoff(controlPlane, registration, Duration.ofSeconds(1), 1));
        every(config.logs().rotateInterval(), "logs.rotate", () -> logs.instances().rotateAll());
    }

    /**
     * Node OS upgrades, for a host that runs the node OS: an order in the assignment list starts one on a thread of
     * its own ({@link UpgradeTrigger}); "drained" means no instance of this node is still about to run.
     */
    private UpgradeTrigger osUpgrades(HttpControlPlane controlPlane, String osVersion, String bootSlot) {
        NodeConfig.OsUpgrade up = config.osUpgrade();
        OsUpgrader upgrader = new OsUpgrader(new OsUpgrader.Layout(up.slotADevice(), up.slotBDevice(), up.espDir(),
                up.downloadDir().orElse(config.stateDir().resolve("os-upgrade"))), new ReleaseSource() {
                    @Override
                    public OsReleaseManifest manifest(String version) {
                        return controlPlane.osReleaseManifest(version);
                    }

                    @Override
                    public InputStream open(String version, String file) {
                        return controlPlane.openOsReleaseFile(version, file);
                    }
                }, controlPlane::reportOsUpgrade, Reboot.command(up.rebootCommand()), this::drained,
                Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), up.drainTimeout(), Duration.ofSeconds(2));
        ExecutorService upgrades = Executors.newSingleThreadExecutor(r -> daemon(r, "node-os-upgrade"));
        LOG.infof("event=os-upgrade.ready version=%s slot=%s", osVersion, bootSlot);
        return new UpgradeTrigger(osVersion, upgrades, version -> upgrader.run(version, osVersion, bootSlot));
    }

    /** No instance here is running or on its way to (the scheduler placed them elsewhere). */
    private boolean drained() {
        Reconciler r = reconciler;
        return r == null || r.countByState().entrySet().stream()
                .noneMatch(e -> e.getValue() > 0 && !e.getKey().isTerminal());
    }

    /**
     * The node's instance network, or null (instances then get an empty network namespace or no NIC: no connectivity
     * at all, so no wall is missing) when it is disabled or the host cannot do it.
     */
    private NodeNetwork setUpNetwork() {
        // a bad upstream is the configuration's fault: it stops the agent, network or not
        List<java.net.InetSocketAddress> dnsUpstreams = NodeConfigCheck.dnsUpstreams(config);
        NodeConfig.Network net = config.network();
        if (!net.enabled()) {
            networkStatus = "disabled by nanofleet.node.network.enabled=false";
            LOG.warnf("event=network.unavailable reason=\"%s\"", networkStatus);
            return null;
        }
        try {
            NodeNetwork n = NodeNetwork.setUp(config.name(), config.stateDir(), net.pool(), net.publishAddress());
            networkStatus = "pool " + n.pool() + " (" + n.poolReason() + "), " + n.backend();
            LOG.infof("event=network.enabled %s", networkStatus);
            n.dnsUpstreams(dnsUpstreams);
            return n;
        } catch (PoolUnavailableException e) {
            // every instance start would fail later ("no free /24"): better not to start at all, and say why
            throw e;
        } catch (RuntimeException e) {
            networkStatus = e.getMessage();
            LOG.warnf("event=network.unavailable reason=\"%s\"", networkStatus);
            return null;
        }
    }

    /**
     * Health checks: HTTP and TCP from the node to the instance's address; exec through runc for shared-kernel
     * instances and through the VM's guest agent (its {@code exec0} port) for VMs, see {@link #execCommands}.
     */
    private HealthMonitor healthMonitor(RuncRuntime runc, Clock clock) {
        Probes probes = new Probes(new HttpProbe(), new TcpProbe(), new ExecProbe(execCommands(new RuncInstanceCommand(
                runc.binary(), runc.runtimeRoot()), execs.exec())));
        return new HealthMonitor(probes, clock, config.healthCheckConcurrency(), (type, result, took) -> Counter
                .builder("nanofleet.node.health.checks").description("instance health checks run, by type and result")
                .tag("type", type.name()).tag("result", result.passed() ? "pass" : "fail").register(meters)
                .increment());
    }

    /**
     * How exec checks run in each isolation mode: {@code shared} for runc instances; in a VM through its guest agent
     * when the exec helper is configured ({@code nanofleet.node.exec.helper}, which also puts the agent into new VMs),
     * else they fail with {@link ExecProbe#NO_GUEST_AGENT}.
     */
    static Map<Isolation, InstanceCommand> execCommands(InstanceCommand shared, Optional<InstanceExec> exec) {
        return Map.of(Isolation.SHARED, shared, Isolation.HARDWARE, exec.map(NodeAgent::guestCommand).orElse(
                InstanceCommand.unavailable(ExecProbe.NO_GUEST_AGENT)));
    }

    /** A VM's exec health check through its guest agent ({@link InstanceExec#run}): 4 KiB of output at most. */
    static InstanceCommand guestCommand(InstanceExec exec) {
        return (instanceId, command, timeout) -> {
            try {
                InstanceExec.RunResult r = exec.run(instanceId, command, timeout, 4096);
                boolean ran = !r.timedOut() && r.exitCode() >= 0;
                return new InstanceCommand.Outcome(ran, r.exitCode(), ran
                        ? new String(r.output(), java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(r.reason()));
            } catch (ExecRefused e) {
                return new InstanceCommand.Outcome(false, -1, e.getMessage());
            }
        };
    }

    /** {@link Delays} on a scheduled executor: a task cancelled before it runs never runs. */
    static Delays delays(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    void onStop(@Observes ShutdownEvent event) {
        if (healthMonitor != null) {
            healthMonitor.close();
        }
        if (network != null) {
            network.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (passes != null) {
            passes.shutdownNow();
        }
        if (loop != null) {
            loop.shutdownNow();
        }
        if (drains != null) {
            // instances are left running on shutdown, draining ones too: the next agent adopts them and stops them
            drains.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (reports != null) {
            reports.shutdownNow();
        }
    }

    private void registerWithBackoff(ControlPlane controlPlane, NodeRegistration registration, Duration delay,
            int attempt) {
        try {
            logs.grants().trust(controlPlane.register(registration));
        } catch (ControlPlaneException e) {
            registrationError.set(e.getMessage());
            LOG.warnf("event=agent.register.retry attempt=%d nextInMs=%d reason=\"%s\"", attempt, delay.toMillis(),
                    e.getMessage());
            Duration next = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
            loop.schedule(() -> registerWithBackoff(controlPlane, registration, next, attempt + 1), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        registered = true;
        registrationError.set(null);
        LOG.infof("event=agent.registered node=%s attempt=%d", config.name(), attempt);
        loop.scheduleWithFixedDelay(() -> heartbeat(controlPlane), 0, config.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        startReconciling();
        // a lost sample loses no CPU time: the next one carries the cumulative figure
        every(config.usageInterval(), "usage", usage::sampleOnce);
        every(Duration.ofMinutes(1), "image.gc", imageCollector::collect);
    }

    /**
     * Runs {@code task} every {@code interval}, the first time one interval from now. A failure is logged as
     * {@code event=<name>.error} and never kills the schedule.
     */
    private void every(Duration interval, String name, Runnable task) {
        loop.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("event=" + name + ".error", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void heartbeat(ControlPlane controlPlane) {
        try {
            controlPlane.heartbeat();
        } catch (ControlPlaneException e) {
            LOG.warnf("event=agent.heartbeat.failed reason=\"%s\"", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("event=agent.heartbeat.error", e);
        }
    }

    /**
     * Passes every {@code reconcile-interval} on a thread of their own, and at once when the assignment watch announces
     * a change; while the watch is open a pass fetches the list only after a change or every {@code resync-interval}.
     */
    private void startReconciling() {
        passes = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-reconcile"));
        AssignmentFreshness freshness = new AssignmentFreshness(Clock.systemUTC(), config.resyncInterval());
        ReconcileLoop reconcileLoop = new ReconcileLoop(this::reconcileOnce, freshness, passes);
        if (config.watch().enabled()) {
            watch = new AssignmentWatch(openWatch, reconcileLoop, Duration.ofMillis(500), MAX_BACKOFF,
                    WATCH_IDLE_TIMEOUT, Duration.ofMinutes(10), d -> Thread.sleep(d.toMillis()));
            watch.start();
        }
        reconcileLoop.start(config.reconcileInterval());
    }

    private Reconciler.PassSummary reconcileOnce(boolean fetch) {
        Timer.Sample sample = Timer.start(meters);
        try {
            Reconciler.PassSummary pass = reconciler.reconcile(fetch);
            if (pass.startsRequested() > 0 || pass.stopsRequested() > 0 || pass.reportsSent() > 0) {
                LOG.infof(
                        "event=reconcile.pass desired=%d starts=%d stops=%d reports=%d tookMs=%d fetchMs=%d observeMs=%d",
                        pass.desired(), pass.startsRequested(), pass.stopsRequested(), pass.reportsSent(), pass.took()
                                .toMillis(),
                        pass.fetchTook().toMillis(), pass.observeTook().toMillis());
            }
            return pass;
        } catch (RuntimeException e) {
            // a pass must never kill the schedule
            LOG.error("event=reconcile.error", e);
            return null;
        } finally {
            sample.stop(meters.timer("nanofleet.node.reconcile"));
        }
    }

    private void registerMetrics() {
        // a registry that outlives this bean (Quarkus restarted in one JVM, as the tests do) would keep the old gauges
        meters.find("nanofleet.node.instances").meters().forEach(meters::remove);
        for (InstanceState state : InstanceState.values()) {
            Gauge.builder("nanofleet.node.instances", () -> reconciler.countByState().get(state))
                    .description("instances this agent tracks, by state").tag("state", state.name()).register(meters);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public boolean registered() {
        return registered;
    }

    public String registrationError() {
        return registrationError.get();
    }

    public String ociRuntime() {
        return ociRuntime;
    }

    /** How hardware isolation was set up, or why it is not available. */
    public String hardwareStatus() {
        return hardwareStatus;
    }

    /** How instance networking was set up, or why it is not available. */
    public String networkStatus() {
        return networkStatus;
    }
}
