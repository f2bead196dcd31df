package dev.nanofleet.edge.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass of the edge's loop: read the routes, get the certificates of custom domains not seen before, render the
 * proxy's configuration, apply it when it changed. Level triggered: every pass reads the whole list, so a missed event
 * or a failed pass is made good by the next; a custom domain whose certificate cannot be had now is left out (and
 * named in the status) while the other routes apply. Thread-safe (passes run one at a time).
 */
public final class RouteSync {

    /** What a pass did. */
    public enum Outcome {
        APPLIED,
        UNCHANGED,
        FETCH_FAILED,
        APPLY_FAILED
    }

    /**
     * The last pass: what it did, the table now served, the error if it failed, and the custom domains left out
     * because their certificate could not be had (hostname -> why).
     */
    public record Status(Outcome outcome, RouteTable served, boolean everApplied, String error,
            Map<String, String> domainsLeftOut) {
    }

    private final RouteSource source;
    private final Certificates certificates;
    private final Proxy proxy;
    private final AppsDomain domain;
    private final EdgeListeners listeners;
    private HaproxyConfig.Rendered applied;
    private RouteTable served = RouteTable.empty();
    private Map<String, String> leftOut = Map.of();
    private volatile Status status = new Status(Outcome.UNCHANGED, RouteTable.empty(), false, null, Map.of());

    /** An edge that serves no custom domains. */
    public RouteSync(RouteSource source, Proxy proxy, AppsDomain domain, EdgeListeners listeners) {
        this(source, Certificates.NONE, proxy, domain, listeners);
    }

    public RouteSync(RouteSource source, Certificates certificates, Proxy proxy, AppsDomain domain,
            EdgeListeners listeners) {
        this.source = source;
        this.certificates = certificates;
        this.proxy = proxy;
        this.domain = domain;
        this.listeners = listeners;
    }

    /** The configuration for no routes at all: what the proxy starts with, before the first fetch. */
    public HaproxyConfig.Rendered initial() {
        return HaproxyConfig.render(RouteTable.empty(), listeners);
    }

    public synchronized Status pass() {
        List<DeploymentRoute> deployments;
        try {
            deployments = source.fetch();
        } catch (Exception e) {
            return record(Outcome.FETCH_FAILED, "cannot read the routes: " + e.getMessage());
        }
        Map<String, Path> files = new TreeMap<>();
        Map<String, String> missing = new TreeMap<>();
        for (DeploymentRoute deployment : deployments) {
            for (CustomDomain custom : deployment.domains()) {
                try {
                    files.put(custom.hostname(), certificates.file(custom));
                } catch (Exception e) {
                    missing.put(custom.hostname(), String.valueOf(e.getMessage()));
                }
            }
        }
        leftOut = Map.copyOf(missing);
        RouteTable table = RouteTable.of(deployments, domain, files,
                Set.copyOf(List.of(listeners.httpsPort(), listeners.httpPort())));
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
        try {
            certificates.retain(new ArrayList<>(files.values()));
        } catch (Exception e) {
            // a stale key file stays until the next pass that applies: nothing serves it
        }
        return record(Outcome.APPLIED, null);
    }

    public Status status() {
        return status;
    }

    private Status record(Outcome outcome, String error) {
        status = new Status(outcome, served, applied != null, error, leftOut);
        return status;
    }
}
