package dev.nanofleet.e2e.chaos;

import dev.nanofleet.e2e.chaos.ChaosModel.Billed;
import dev.nanofleet.e2e.chaos.ChaosModel.Expected;
import dev.nanofleet.e2e.chaos.ChaosModel.InstanceReport;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedDeployment;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.PostgresServer;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's rounds on a running platform, while a {@link Workload} changes deployments: in each round it waits
 * for some changes, {@code kill -9}s one component, brings it back ({@link Platform#up()}), measures how long until
 * every desired replica runs again, then holds the workload, lets the platform settle and checks the
 * {@link Invariants}, printing one line per component. Used by {@link ChaosRun} ({@code ./fleet chaos}) and by
 * {@code ChaosIT} (a shorter form).
 */
public final class ChaosSuite implements AutoCloseable {

    /**
     * Where the suite acts and looks.
     *
     * @param operator a user with the operator role (reads every node's instances)
     * @param users the workload's users, whose deployments it reads
     * @param schedulerJdbc the scheduler's database (its placements)
     */
    public record Target(Platform platform, ChaosApi api, String operator, List<String> users, String kafka,
            String schedulerJdbc, List<NodeProbe> nodes) {
    }

    /**
     * How hard and how long.
     *
     * @param changesBetweenKills changes the workload makes (answered) before each kill
     * @param recoveryBound asserted: from the component back (ready) to every desired replica RUNNING
     * @param settleDeadline how long the held platform may take to converge before the checks count what remains
     */
    public record Settings(int changesBetweenKills, Duration recoveryBound, Duration settleDeadline) {
    }

    /** One component's figures; {@code findings} says what each count is made of. */
    public record Line(String component, int lost, int doubleRunning, int orphans, int duplicates,
            Double recoverySeconds, double restartSeconds, long changes, int unexpected, List<String> findings) {

        public String format() {
            return String.format(java.util.Locale.ROOT,
                    "chaos component=%s lost=%d double_running=%d orphans=%d duplicates=%d recovery_s=%s"
                            + " restart_s=%.1f changes=%d unexpected=%d",
                    component, lost, doubleRunning, orphans, duplicates,
                    recoverySeconds == null ? "none" : String.format(java.util.Locale.ROOT, "%.1f", recoverySeconds),
                    restartSeconds, changes, unexpected);
        }

        public boolean passed(Duration bound) {
            return lost == 0 && doubleRunning == 0 && orphans == 0 && duplicates == 0 && unexpected == 0
                    && recoverySeconds != null && recoverySeconds <= bound.toMillis() / 1000.0;
        }
    }

    private final Target target;
    private final Settings settings;
    private final Ledger ledger;
    private final Workload workload;
    private final String prefix;
    private final PrintStream out;
    private final InstanceReports reports;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    /** Instance ids some snapshot of the nodes showed on two nodes at once. */
    private final Set<UUID> seenOnTwoNodes = java.util.Collections.synchronizedSet(new TreeSet<>());
    private int unexpectedReported;

    public ChaosSuite(Target target, Settings settings, Ledger ledger, Workload workload, String prefix,
            PrintStream out) {
        this.target = target;
        this.settings = settings;
        this.ledger = ledger;
        this.workload = workload;
        this.prefix = prefix;
        this.out = out;
        this.reports = new InstanceReports(target.kafka());
    }

    /** Starts the workload and the nodes' sampler. */
    public void start() {
        workload.start();
        if (target.nodes().size() > 1) {
            sampler.scheduleWithFixedDelay(this::sampleNodes, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void sampleNodes() {
        try {
            Map<String, Set<UUID>> snapshot = new HashMap<>();
            target.nodes().forEach(n -> snapshot.put(n.node(), n.running()));
            seenOnTwoNodes.addAll(Invariants.runningOnTwoNodes(List.of(snapshot)));
        } catch (RuntimeException e) {
            // a runtime busy or a state directory changing under the listing: the next sample tells
        }
    }

    /** Kills {@code component}, brings it back, and checks: one round. */
    public Line round(String component) {
        return round(target.platform(), component, component);
    }

    /**
     * One round on {@code platform} (the suite's, or one with more components, e.g. a second scheduler).
     *
     * @param label the component's name in the printed line
     */
    public Line round(Platform platform, String component, String label) {
        awaitChanges();
        long changesBefore = ledger.operations();
        platform.kill(component);
        long back = System.nanoTime();
        platform.up();
        double restart = (System.nanoTime() - back) / 1e9;
        Double recovery = recovery(ledger.mark(), System.nanoTime());
        return check(label, recovery, restart, ledger.operations() - changesBefore);
    }

    /**
     * A round in which the killed component stays down while its twin works alone (two schedulers in one consumer
     * group: the survivor takes the dead one's partitions once the group notices, after its session timeout); recovery
     * runs from the kill until every desired replica, including those asked for after the kill, runs. Then it comes
     * back.
     */
    public Line survivorRound(Platform platform, String component, String label) {
        awaitChanges();
        long changesBefore = ledger.operations();
        long killed = System.nanoTime();
        platform.kill(component);
        long mark = ledger.mark();
        // the survivor alone must answer changes made after the kill
        Await.until(Duration.ofMinutes(3), "changes after killing " + component,
                () -> !ledger.changedSince(mark).isEmpty());
        Double recovery = recovery(Long.MAX_VALUE, killed);
        long back = System.nanoTime();
        platform.up();
        double restart = (System.nanoTime() - back) / 1e9;
        return check(label, recovery, restart, ledger.operations() - changesBefore);
    }

    private void awaitChanges() {
        long before = ledger.operations();
        Await.until(Duration.ofMinutes(5), settings.changesBetweenKills() + " workload changes",
                () -> ledger.operations() >= before + settings.changesBetweenKills());
    }

    /**
     * Seconds from {@code since} until every live deployment unchanged since {@code mark} (all of them for
     * {@code Long.MAX_VALUE}) has its desired replicas RUNNING; null when that took longer than twice the bound.
     */
    private Double recovery(long mark, long since) {
        try {
            Await.until(settings.recoveryBound().multipliedBy(2), "every desired replica running", () -> {
                List<Expected> expected = mark == Long.MAX_VALUE ? ledger.live() : ledger.unchangedSince(mark);
                return Invariants.notYetRunning(expected, observed()).isEmpty();
            });
            return (System.nanoTime() - since) / 1e9;
        } catch (AssertionError e) {
            out.println("[chaos] " + e.getMessage());
            return null;
        }
    }

    private List<ObservedDeployment> observed() {
        List<ObservedDeployment> all = new ArrayList<>();
        target.users().forEach(user -> all.addAll(target.api().deployments(user, prefix)));
        return all;
    }

    private Line check(String component, Double recovery, double restart, long changes) {
        workload.pause();
        try {
            List<String> findings = new ArrayList<>();
            List<String> lost = settled("nothing lost", () -> Invariants.lost(ledger.live(), ledger.retried(),
                    observed()));
            findings.addAll(lost);
            settled("every desired replica running", () -> Invariants.notYetRunning(ledger.live(), observed())
                    .entrySet().stream().map(e -> e.getValue() + " replicas of " + e.getKey() + " not running")
                    .toList()).forEach(f -> findings.add("not settled: " + f));
            reports.caughtUp(Duration.ofMinutes(2));
            Set<UUID> mine = ledger.desired().keySet();
            List<InstanceReport> about = reports.about(mine::contains);
            Set<UUID> twice = new TreeSet<>(Invariants.doubleRunning(about));
            twice.addAll(seenOnTwoNodes);
            twice.forEach(id -> findings.add("instance " + id + " ran on two nodes at once"));
            List<String> orphans = settled("no orphans", this::orphans);
            findings.addAll(orphans);
            List<String> duplicates = new ArrayList<>(settled("nothing placed twice",
                    () -> Invariants.placedTwice(ledger.desired(), livePlacements(), observed())));
            duplicates.addAll(billedTwice(about));
            findings.addAll(duplicates);
            List<String> unexpected = ledger.unexpected();
            List<String> newlyUnexpected = unexpected.subList(unexpectedReported, unexpected.size());
            newlyUnexpected.forEach(u -> findings.add("unexpected answer: " + u));
            unexpectedReported = unexpected.size();
            Line line = new Line(component, lost.size(), twice.size(), orphans.size(), duplicates.size(), recovery,
                    restart, changes, newlyUnexpected.size(), findings);
            out.println(line.format());
            findings.forEach(f -> out.println("  - " + f));
            out.flush();
            return line;
        } finally {
            workload.resume();
        }
    }

    /** The findings once they are none, or those left when the settle deadline passes. */
    private List<String> settled(String what, java.util.concurrent.Callable<List<String>> findings) {
        List<List<String>> last = new ArrayList<>(List.of(List.of("could not be checked: " + what)));
        try {
            Await.until(settings.settleDeadline(), what, () -> {
                last.set(0, findings.call());
                return last.getFirst().isEmpty();
            });
        } catch (AssertionError e) {
            // counted below: what is left after the deadline
        }
        return last.getFirst();
    }

    private List<String> orphans() {
        Map<String, Set<UUID>> running = new HashMap<>();
        Map<String, Set<UUID>> accounted = new HashMap<>();
        for (NodeProbe node : target.nodes()) {
            running.put(node.node(), node.running());
            // asked after the runtime was read: an instance started in between is accounted for, not an orphan
            accounted.put(node.node(), target.api().wantedRunningOn(target.operator(), node.node()));
        }
        return Invariants.orphans(running, accounted);
    }

    private Map<UUID, Integer> livePlacements() throws SQLException {
        Map<UUID, Integer> placed = new HashMap<>();
        try (Connection c = DriverManager.getConnection(target.schedulerJdbc(), PostgresServer.USERNAME,
                PostgresServer.PASSWORD);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT deployment_id, count(*) FROM placements"
                        + " WHERE node_name IS NOT NULL AND ended_at IS NULL GROUP BY deployment_id")) {
            while (rows.next()) {
                placed.put(rows.getObject(1, UUID.class), rows.getInt(2));
            }
        }
        return placed;
    }

    private List<String> billedTwice(List<InstanceReport> about) {
        List<String> findings = new ArrayList<>();
        for (String user : target.users()) {
            ChaosApi.Usage usage = Await.value(Duration.ofMinutes(1), "usage of " + user,
                    () -> target.api().usage(user));
            List<Billed> billed = usage.billed();
            findings.addAll(Invariants.billedTwice(about, ledger.cpuMillis(), billed, usage.asOf()));
        }
        return findings;
    }

    /** Stops the workload, deletes what it left, and waits until nothing of it runs. */
    public void cleanUp(Duration deadline) {
        workload.close();
        for (Expected e : ledger.live()) {
            Await.until(deadline, "delete " + e.name(), () -> target.api()
                    .send(e.tenant(), "DELETE", "/v1/deployments/" + e.id(), null, Map.of())
                    .map(a -> a.status() == 202 || a.status() == 404 || a.status() == 409).orElse(false));
        }
        Set<UUID> mine = ledger.desired().keySet();
        Await.until(deadline, "the workload's instances stopped", () -> target.nodes().stream()
                .allMatch(n -> observed().stream().filter(d -> mine.contains(d.id()))
                        .flatMap(d -> d.instances().stream()).noneMatch(i -> n.running().contains(i.id()))));
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        workload.close();
        reports.close();
    }
}
