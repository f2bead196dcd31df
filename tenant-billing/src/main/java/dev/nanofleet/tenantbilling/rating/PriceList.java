package dev.nanofleet.tenantbilling.rating;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The price versions of one currency over time. Each version holds from its {@code effectiveFrom} until the next one's;
 * time before the first version is priced at the first version (a price list always prices everything).
 *
 * @param versions at least one, ids unique, no two taking effect at the same instant; kept sorted by effectiveFrom
 */
public record PriceList(String currency, List<PriceVersion> versions) {

    /** A part of a span during which one price version holds. */
    public record Segment(Period span, PriceVersion version) {

        public Segment {
            Objects.requireNonNull(span, "span");
            Objects.requireNonNull(version, "version");
        }
    }

    public PriceList {
        Objects.requireNonNull(currency, "currency");
        if (currency.isBlank()) {
            throw new IllegalArgumentException("a price list names its currency");
        }
        Objects.requireNonNull(versions, "versions");
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a price list has at least one version");
        }
        List<PriceVersion> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparing(PriceVersion::effectiveFrom));
        Map<String, PriceVersion> ids = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            PriceVersion version = sorted.get(i);
            if (ids.put(version.id(), version) != null) {
                throw new IllegalArgumentException("price version " + version.id() + " is listed twice");
            }
            if (i > 0 && sorted.get(i - 1).effectiveFrom().equals(version.effectiveFrom())) {
                throw new IllegalArgumentException("price versions " + sorted.get(i - 1).id() + " and " + version.id()
                        + " both take effect at " + version.effectiveFrom());
            }
        }
        versions = List.copyOf(sorted);
    }

    /** The version in force at {@code t}: the last one in effect by then, or the first before any is. */
    public PriceVersion at(Instant t) {
        return versions.get(indexAt(t));
    }

    /**
     * {@code span} cut where a new version takes effect, in time order; the parts cover the span exactly. A part before
     * the first version takes effect is priced at the first version (it is part of the first segment).
     */
    public List<Segment> segments(Period span) {
        List<Segment> segments = new ArrayList<>(2);
        Instant start = span.start();
        for (int i = indexAt(start); i < versions.size(); i++) {
            Instant next = i + 1 < versions.size() ? versions.get(i + 1).effectiveFrom() : null;
            Instant end = next == null || !next.isBefore(span.end()) ? span.end() : next;
            segments.add(new Segment(new Period(start, end), versions.get(i)));
            if (end.equals(span.end())) {
                break;
            }
            start = end;
        }
        return segments;
    }

    /** The position of the version with this id in time order, or -1. */
    int indexOf(String versionId) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).id().equals(versionId)) {
                return i;
            }
        }
        return -1;
    }

    private int indexAt(Instant t) {
        int low = 0;
        int high = versions.size() - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (versions.get(mid).effectiveFrom().isAfter(t)) {
                high = mid - 1;
            } else {
                found = mid;
                low = mid + 1;
            }
        }
        return found;
    }
}
