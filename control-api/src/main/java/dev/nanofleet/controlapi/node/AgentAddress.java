package dev.nanofleet.controlapi.node;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a node's agent listens: an IP address and a port, nothing else. Request URLs are built from these parts and an
 * encoded path (never by appending to what the node sent), so a node cannot smuggle a path or a query into them.
 */
public record AgentAddress(InetAddress host, int port) {

    /** {@code http://host:port/<segments, each percent-encoded>?<query>}; the query is built by the caller from parts. */
    public URI uri(String path, String query) {
        try {
            return new URI("http", null, host.getHostAddress(), port, path, query, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build an agent URI from " + path, e);
        }
    }
}
