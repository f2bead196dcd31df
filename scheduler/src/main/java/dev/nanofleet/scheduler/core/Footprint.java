package dev.nanofleet.scheduler.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where one deployment's replicas run across the fleet: the total and the count per zone ({@link NodeView#zone()}).
 * Scorers see only one node at a time, so the fleet-wide part is computed once per request (Kubernetes' PreScore).
 * <p>
 * {@link #inZone} runs once per scored node: the zones are a few parallel array slots searched by hash and identity
 * (the index hands out the same zone strings it keyed them with), not a map probe.
 */
public final class Footprint {

    public static final Footprint NONE = new Footprint(0, Map.of());

    private final int total;
    private final String[] zones;
    private final int[] hashes;
    private final int[] counts;

    public Footprint(int total, Map<String, Integer> byZone) {
        this.total = total;
        this.zones = new String[byZone.size()];
        this.hashes = new int[zones.length];
        this.counts = new int[zones.length];
        int i = 0;
        for (Map.Entry<String, Integer> zone : byZone.entrySet()) {
            zones[i] = Objects.requireNonNull(zone.getKey(), "zone");
            hashes[i] = zones[i].hashCode();
            counts[i++] = Objects.requireNonNull(zone.getValue(), "count");
        }
    }

    /** The first {@code size} of {@code zones} with their {@code counts}; copied. */
    Footprint(int total, String[] zones, int[] counts, int size) {
        this.total = total;
        this.zones = Arrays.copyOf(zones, size);
        this.hashes = new int[size];
        this.counts = Arrays.copyOf(counts, size);
        for (int i = 0; i < size; i++) {
            hashes[i] = this.zones[i].hashCode();
        }
    }

    public int total() {
        return total;
    }

    /** Replicas per zone; zones without any are absent. */
    public Map<String, Integer> byZone() {
        Map<String, Integer> byZone = new LinkedHashMap<>();
        for (int i = 0; i < zones.length; i++) {
            byZone.put(zones[i], counts[i]);
        }
        return Map.copyOf(byZone);
    }

    public int inZone(String zone) {
        int hash = zone.hashCode();
        for (int i = 0; i < zones.length; i++) {
            if (zones[i] == zone || (hashes[i] == hash && zones[i].equals(zone))) {
                return counts[i];
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Footprint that && total == that.total && byZone().equals(that.byZone());
    }

    @Override
    public int hashCode() {
        return 31 * total + byZone().hashCode();
    }

    @Override
    public String toString() {
        return "Footprint[total=" + total + ", byZone=" + byZone() + "]";
    }
}
