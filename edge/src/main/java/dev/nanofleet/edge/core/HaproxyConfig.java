package dev.nanofleet.edge.core;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Renders HAProxy's configuration and host map from a {@link RouteTable}. Pure and deterministic: the same table and
 * listeners give the same text, so the edge reloads only when the text changes.
 *
 * <p>
 * Choices, and why:
 * <ul>
 * <li>One backend per deployment (its hostnames all map to it), round robin, each replica a server with a TCP check every second: HAProxy notices a
 * replica gone between two route fetches by itself.</li>
 * <li>{@code retry-on conn-failure empty-response} with {@code option redispatch 1}: a request that meets a replica
 * which just stopped is retried on another one, so a stopped replica costs no failed request.</li>
 * <li>Host routing through a map file (one lookup, however many routes); a hostname not in it, or a backend with no
 * server up, answers the 503 page.</li>
 * <li>Plain HTTP redirects (308) to HTTPS on the edge's HTTPS port: one way in, always encrypted.</li>
 * <li>The apps domain's wildcard certificate by default; a custom domain's own certificate by its name (SNI) from a
 * crt-list, so adding one changes a file, not the bind line.</li>
 * <li>A tcp port is a {@code mode tcp} frontend on its edge port with a backend of its own, after a second
 * {@code defaults} section for TCP (HTTP's options and its short timeouts do not apply to raw connections).
 * {@code leastconn}: TCP connections (a database's, a queue's) are few and long, so the replica holding the fewest takes
 * the next, where round robin would pile long ones on one replica. The same TCP check every second; a connection that
 * cannot be made is tried again ({@code retries 3}), on another replica after the first failure
 * ({@code option redispatch 1}); an established connection that breaks is the client's to open again (TCP has no
 * request to retry). A tcp port with no serving replica is not listened on, so connections are refused.</li>
 * </ul>
 */
public final class HaproxyConfig {

    /** The backend of every request no route takes: it has no server, so HAProxy answers its 503 page. */
    static final String NO_ROUTE = "no-route";

    private HaproxyConfig() {
    }

    /** HAProxy's configuration, the map file and the crt-list it reads, as text. */
    public record Rendered(String config, String hostMap, String certificateList) {
    }

    public static Rendered render(RouteTable table, EdgeListeners listeners) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("# Written by nanofleet-edge from the control plane's routes; edits are overwritten.\n");
        cfg.append("global\n");
        cfg.append("    stats socket ").append(listeners.adminSocket())
                .append(" mode 600 level admin expose-fd listeners\n");
        // two descriptors a connection: hosts here cap open files at 20000 (hard), which a larger value exceeds
        cfg.append("    maxconn 4096\n");
        cfg.append("    log stdout format raw local0 notice\n");
        cfg.append("    ssl-default-bind-options ssl-min-ver TLSv1.2\n");
        cfg.append("\n");
        cfg.append("defaults\n");
        cfg.append("    mode http\n");
        cfg.append("    log global\n");
        cfg.append("    option httplog\n");
        cfg.append("    timeout connect 2s\n");
        cfg.append("    timeout client 60s\n");
        cfg.append("    timeout server 60s\n");
        cfg.append("    timeout http-request 10s\n");
        // old workers finish their requests after a reload, but not forever
        cfg.append("    timeout client-fin 10s\n");
        cfg.append("    retries 3\n");
        cfg.append("    option redispatch 1\n");
        cfg.append("    retry-on conn-failure empty-response\n");
        cfg.append("    errorfile 503 ").append(listeners.errorPage()).append('\n');
        cfg.append("\n");
        cfg.append("frontend http\n");
        cfg.append("    bind ").append(bind(listeners.bindAddress(), listeners.httpPort())).append('\n');
        cfg.append("    http-request redirect location https://%[req.hdr(host),field(1,:)]:")
                .append(listeners.httpsPort()).append("%[capture.req.uri] code 308\n");
        cfg.append("\n");
        cfg.append("frontend https\n");
        cfg.append("    bind ").append(bind(listeners.bindAddress(), listeners.httpsPort())).append(" ssl crt ")
                .append(listeners.certificate()).append(" crt-list ").append(listeners.certificateList())
                .append(" alpn http/1.1\n");
        cfg.append("    http-request set-header X-Forwarded-Proto https\n");
        cfg.append("    option forwardfor\n");
        cfg.append("    use_backend %[req.hdr(host),field(1,:),lower,map(").append(listeners.hostMap()).append(',')
                .append(NO_ROUTE).append(")]\n");
        cfg.append("\n");
        cfg.append("backend ").append(NO_ROUTE).append('\n');
        StringBuilder map = new StringBuilder("# hostname backend, written by nanofleet-edge\n");
        StringBuilder certificates = new StringBuilder("# certificate file, then the name it serves (SNI)\n");
        Set<String> backends = new HashSet<>();
        for (Route route : table.routes()) {
            String backend = backendName(route);
            map.append(route.hostname()).append(' ').append(backend).append('\n');
            route.certificate().ifPresent(file -> certificates.append(file).append(" [alpn http/1.1] ")
                    .append(route.hostname()).append('\n'));
            if (!backends.add(backend)) {
                continue; // another hostname of a deployment whose backend is written already
            }
            cfg.append("\n");
            cfg.append("# ").append(route.hostname()).append('\n');
            cfg.append("backend ").append(backend).append('\n');
            cfg.append("    balance roundrobin\n");
            int n = 0;
            for (Backend server : route.backends()) {
                cfg.append("    server r").append(n++).append(' ').append(server)
                        .append(" check inter 1s fall 1 rise 1\n");
            }
        }
        if (!table.tcpRoutes().isEmpty()) {
            renderTcp(cfg, table, listeners);
        }
        return new Rendered(cfg.toString(), map.toString(), certificates.toString());
    }

    private static void renderTcp(StringBuilder cfg, RouteTable table, EdgeListeners listeners) {
        cfg.append("\n");
        cfg.append("defaults tcp\n");
        cfg.append("    mode tcp\n");
        cfg.append("    log global\n");
        cfg.append("    option tcplog\n");
        cfg.append("    timeout connect 2s\n");
        // a database connection may stay idle for long; HTTP's 60 s would cut it
        cfg.append("    timeout client 1h\n");
        cfg.append("    timeout server 1h\n");
        cfg.append("    timeout client-fin 10s\n");
        cfg.append("    retries 3\n");
        cfg.append("    option redispatch 1\n");
        for (TcpRoute route : table.tcpRoutes()) {
            String name = "t-" + route.edgePort();
            cfg.append("\n");
            cfg.append("# deployment ").append(safe(route.deploymentId())).append(" port ")
                    .append(route.containerPort())
                    .append('\n');
            cfg.append("frontend ").append(name).append('\n');
            cfg.append("    bind ").append(bind(listeners.bindAddress(), route.edgePort())).append('\n');
            cfg.append("    default_backend ").append(name).append('\n');
            cfg.append("\n");
            cfg.append("backend ").append(name).append('\n');
            cfg.append("    balance leastconn\n");
            int n = 0;
            for (Backend server : route.backends()) {
                cfg.append("    server r").append(n++).append(' ').append(server)
                        .append(" check inter 1s fall 1 rise 1\n");
            }
        }
    }

    /** {@code d-<deployment id>}, with anything but letters, digits and dashes taken out. */
    static String backendName(Route route) {
        return "d-" + safe(route.deploymentId());
    }

    /** A deployment id with anything but letters, digits and dashes taken out: it is written into the configuration. */
    private static String safe(String deploymentId) {
        return deploymentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
    }

    private static String bind(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
