package dev.nanofleet.scheduler.core;

import java.util.Map;

/**
 * Where one deployment's replicas run across the fleet: the total and the count per zone ({@link NodeView#zone()}).
 * Scorers see only one node at a time, so the fleet-wide part is computed once per request (Kubernetes' PreScore).
 */
public record Footprint(int total, Map<String, Integer> byZone) {

    public static final Footprint NONE = new Footprint(0, Map.of());

    public Footprint {
        byZone = Map.copyOf(byZone);
    }

    public int inZone(String zone) {
        return byZone.getOrDefault(zone, 0);
    }
}
