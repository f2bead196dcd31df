package dev.nanofleet.controlapi.deployment;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge ports control-api hands to tcp ports: {@code first-last}, both included, inside 1024-65535 (below 1024 the
 * edge would need privileges). Pure; the lowest free port is taken, so allocations are deterministic.
 */
public record EdgePortRange(int first, int last) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

    public EdgePortRange {
        if (first < 1024 || last > 65_535 || first > last) {
            throw new IllegalArgumentException("must be first-last within 1024-65535 with first <= last, not " + first
                    + "-" + last);
        }
    }

    /** @throws IllegalArgumentException when {@code text} is not {@code first-last} in 1024-65535 */
    public static EdgePortRange parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be first-last, e.g. 20000-20999, not '" + text + "'");
        }
        return new EdgePortRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The lowest port of the range not in {@code used}; empty when every one is. */
    public Optional<Integer> firstFree(Collection<Integer> used) {
        for (int port = first; port <= last; port++) {
            if (!used.contains(port)) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
