package dev.nanofleet.nodeapi;

import java.util.List;

/**
 * How a node checks that an instance serves, as Docker's HEALTHCHECK and Nomad's checks do. The node runs the check
 * every {@code intervalSeconds}; a check that does not answer within {@code timeoutSeconds} failed. Failures within
 * {@code startPeriodSeconds} of a start do not count (the instance is {@code STARTING} until a check passes); after
 * {@code failureThreshold} failures in a row the instance is {@code UNHEALTHY} and its process is ended, so that its
 * restart policy decides what follows (the reason names the check's last failure).
 *
 * @param type {@link Type#HTTP}: a GET of {@code path} on {@code port} answered with a status in
 *        {@code [statusMin, statusMax]}; {@link Type#TCP}: a connection to {@code port} accepted; {@link Type#EXEC}:
 *        {@code command} run inside the instance exits 0
 * @param port for HTTP and TCP, the container port; 0 for EXEC
 * @param path for HTTP, starting with {@code /}; null otherwise
 * @param command for EXEC, the program and its arguments; null otherwise
 */
public record HealthCheck(Type type, int port, String path, int statusMin, int statusMax, List<String> command,
        int intervalSeconds, int timeoutSeconds, int startPeriodSeconds, int failureThreshold) {

    public enum Type {
        HTTP,
        TCP,
        EXEC
    }

    public HealthCheck {
        command = command == null ? null : List.copyOf(command);
    }
}
