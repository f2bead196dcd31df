package dev.nanofleet.e2e.chaos;

import dev.nanofleet.e2e.chaos.ChaosModel.Expected;
import dev.nanofleet.e2e.chaos.ChaosModel.RetriedCreate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the workload did, as the API answered it: the deployments it created (201) and did not delete with the replicas
 * it last set, those it deleted, the creates that needed retries, and what went unexpectedly. The expectations the
 * invariants check. Thread-safe (every method synchronized; the workload's calls are few per second).
 */
public final class Ledger {

    private final Map<UUID, Expected> live = new LinkedHashMap<>();
    private final Map<UUID, Integer> cpuMillis = new LinkedHashMap<>();
    private final Map<UUID, Long> changedAt = new LinkedHashMap<>();
    private final List<UUID> deleted = new ArrayList<>();
    private final List<RetriedCreate> retried = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private long operations;
    private long refused;
    private long creates;
    private long changes;

    synchronized void created(String user, UUID id, String name, int replicas, int cpu) {
        live.put(id, new Expected(user, id, name, replicas));
        cpuMillis.put(id, cpu);
        changedAt.put(id, ++changes);
        creates++;
        operations++;
    }

    synchronized void retriedCreate(RetriedCreate create) {
        retried.add(create);
    }

    synchronized void scaled(UUID id, int replicas) {
        Expected e = live.get(id);
        live.put(id, new Expected(e.tenant(), id, e.name(), replicas));
        changedAt.put(id, ++changes);
        operations++;
    }

    synchronized void deleted(UUID id) {
        live.remove(id);
        deleted.add(id);
        changedAt.put(id, ++changes);
        operations++;
    }

    /** The API refused the change for a reason of its own (quota, spend limit): nothing to expect from it. */
    synchronized void refused() {
        refused++;
        operations++;
    }

    synchronized void unexpected(String what) {
        unexpected.add(what);
        operations++;
    }

    public synchronized List<Expected> live() {
        return List.copyOf(live.values());
    }

    public synchronized List<Expected> live(String user) {
        return live.values().stream().filter(e -> e.tenant().equals(user)).toList();
    }

    /** Every deployment it made: its replicas while it lives, 0 once deleted. */
    public synchronized Map<UUID, Integer> desired() {
        Map<UUID, Integer> desired = new LinkedHashMap<>();
        deleted.forEach(id -> desired.put(id, 0));
        live.values().forEach(e -> desired.put(e.id(), e.replicas()));
        return desired;
    }

    public synchronized Map<UUID, Integer> cpuMillis() {
        return Map.copyOf(cpuMillis);
    }

    public synchronized List<RetriedCreate> retried() {
        return List.copyOf(retried);
    }

    public synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    public synchronized long operations() {
        return operations;
    }

    public synchronized long creates() {
        return creates;
    }

    public synchronized long refusals() {
        return refused;
    }

    /** A mark to compare with {@link #unchangedSince}. */
    public synchronized long mark() {
        return changes;
    }

    /** The live deployments the workload has not created, scaled or deleted since {@code mark}. */
    public synchronized List<Expected> unchangedSince(long mark) {
        return live.values().stream().filter(e -> changedAt.get(e.id()) <= mark).toList();
    }

    /** The live deployments created or scaled after {@code mark}. */
    public synchronized List<Expected> changedSince(long mark) {
        return live.values().stream().filter(e -> changedAt.get(e.id()) > mark).toList();
    }
}
