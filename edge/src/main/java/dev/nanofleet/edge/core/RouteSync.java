package dev.nanofleet.edge.core;

import java.util.Objects;

/**
 * One pass of the edge's loop: read the routes, render the proxy's configuration, apply it when it changed. Level
 * triggered: every pass reads the whole list, so a missed event or a failed pass is made good by the next. Thread-safe
 * (passes run one at a time).
 */
public final class RouteSync {

    /** What a pass did. */
    public enum Outcome {
        APPLIED,
        UNCHANGED,
        FETCH_FAILED,
        APPLY_FAILED
    }

    /** The last pass: what it did, the table now served, and the error if it failed. */
    public record Status(Outcome outcome, RouteTable served, boolean everApplied, String error) {
    }

    private final RouteSource source;
    private final Proxy proxy;
    private final AppsDomain domain;
    private final EdgeListeners listeners;
    private HaproxyConfig.Rendered applied;
    private RouteTable served = RouteTable.empty();
    private volatile Status status = new Status(Outcome.UNCHANGED, RouteTable.empty(), false, null);

    public RouteSync(RouteSource source, Proxy proxy, AppsDomain domain, EdgeListeners listeners) {
        this.source = source;
        this.proxy = proxy;
        this.domain = domain;
        this.listeners = listeners;
    }

    /** The configuration for no routes at all: what the proxy starts with, before the first fetch. */
    public HaproxyConfig.Rendered initial() {
        return HaproxyConfig.render(RouteTable.empty(), listeners);
    }

    public synchronized Status pass() {
        RouteTable table;
        try {
            table = RouteTable.of(source.fetch(), domain);
        } catch (Exception e) {
            return record(Outcome.FETCH_FAILED, "cannot read the routes: " + e.getMessage());
        }
        HaproxyConfig.Rendered rendered = HaproxyConfig.render(table, listeners);
        if (Objects.equals(rendered, applied)) {
            return record(Outcome.UNCHANGED, null);
        }
        try {
            proxy.apply(rendered);
        } catch (Exception e) {
            return record(Outcome.APPLY_FAILED, "cannot apply the routes: " + e.getMessage());
        }
        applied = rendered;
        served = table;
        return record(Outcome.APPLIED, null);
    }

    public Status status() {
        return status;
    }

    private Status record(Outcome outcome, String error) {
        status = new Status(outcome, served, applied != null, error);
        return status;
    }
}
