package dev.nanofleet.edge.core;

/**
 * Where one serving replica answers: its node's IP address and the node port of the deployment's HTTP port. Only an IP
 * literal is accepted: it is written into HAProxy's configuration, where anything else could smuggle in a directive.
 */
public record Backend(String address, int port) {

    private static final java.util.regex.Pattern IP = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public Backend {
        if (address == null || !IP.matcher(address).matches()) {
            throw new IllegalArgumentException("a backend's address must be an IP address, not '" + address + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
    }

    @Override
    public String toString() {
        return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
    }
}
