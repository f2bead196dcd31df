package dev.nanofleet.scheduler.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why no node could take a replica: how many nodes were considered and how many each reason rejected. Renders as
 * {@code "0/3 nodes available: 2 insufficient memory, 1 kernel owned by another tenant"}, the most common reason first
 * (ties alphabetically), so the same situation always reads the same.
 */
public record Explanation(int nodes, Map<String, Integer> rejections) {

    public static final String NO_NODES = "no nodes registered";

    public Explanation {
        rejections = rejections.entrySet()
                .stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The reason that rejected the most nodes, or {@link #NO_NODES}. */
    public String mainReason() {
        return rejections.isEmpty() ? NO_NODES : rejections.keySet().iterator().next();
    }

    @Override
    public String toString() {
        String reasons = rejections.isEmpty()
                ? NO_NODES
                : rejections.entrySet()
                        .stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
        return "0/" + nodes + " nodes available: " + reasons;
    }
}
