package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nanofleet.nodeapi.HealthCheck;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A deployment's health check as the API takes it; the node runs it (see {@link HealthCheck}). Defaults as
 * Kubernetes' probes: every 10 s, 1 s timeout... but 2 s here (a cold VM answers slower), 3 failures in a row.
 */
@Schema(name = "HealthCheck", description = "How the node checks that a replica serves: http (a GET of path on port answered with a status in [statusMin, statusMax]), tcp (a connection to port) or exec (command exits 0 inside the instance)")
public record HealthCheckRequest(
        @Schema(required = true, description = "http, tcp or exec") Type type,
        @Schema(description = "container port, for http and tcp", minimum = "1", maximum = "65535") Integer port,
        @Schema(description = "for http; starts with /", defaultValue = "/", maxLength = 1024) String path,
        @Schema(description = "for http", defaultValue = "200", minimum = "100", maximum = "599") Integer statusMin,
        @Schema(description = "for http", defaultValue = "399", minimum = "100", maximum = "599") Integer statusMax,
        @Schema(description = "for exec: the program and its arguments", minItems = 1, maxItems = 64) List<String> command,
        @Schema(defaultValue = "10", minimum = "1", maximum = "3600") Integer intervalSeconds,
        @Schema(defaultValue = "2", minimum = "1", maximum = "600") Integer timeoutSeconds,
        @Schema(description = "failures within this long after a start do not count", defaultValue = "0", minimum = "0", maximum = "3600") Integer startPeriodSeconds,
        @Schema(description = "failures in a row that make a replica unhealthy (and end it, for its restart policy)", defaultValue = "3", minimum = "1", maximum = "100") Integer failureThreshold) {

    /** The check types as the API spells them. */
    @Schema(name = "HealthCheckType")
    public enum Type {
        HTTP, TCP, EXEC;

        @JsonCreator
        public static Type parse(String value) {
            if (value == null) {
                return null;
            }
            for (Type t : values()) {
                if (t.json().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not one of [http, tcp, exec]");
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The check with its defaults filled in; call only on a valid request. */
    HealthCheck toCheck() {
        HealthCheck.Type t = HealthCheck.Type.valueOf(type.name());
        return new HealthCheck(t, t == HealthCheck.Type.EXEC ? 0 : port,
                t == HealthCheck.Type.HTTP ? (path == null ? "/" : path) : null,
                t == HealthCheck.Type.HTTP ? or(statusMin, 200) : 0,
                t == HealthCheck.Type.HTTP ? or(statusMax, 399) : 0,
                t == HealthCheck.Type.EXEC ? command : null, or(intervalSeconds, 10), or(timeoutSeconds, 2),
                or(startPeriodSeconds, 0), or(failureThreshold, 3));
    }

    /** The API's view of a stored check. */
    static HealthCheckRequest of(HealthCheck c) {
        return c == null
                ? null
                : new HealthCheckRequest(Type.valueOf(c.type().name()),
                        c.type() == HealthCheck.Type.EXEC ? null : c.port(),
                        c.path(), c.type() == HealthCheck.Type.HTTP ? c.statusMin() : null,
                        c.type() == HealthCheck.Type.HTTP ? c.statusMax() : null, c.command(), c.intervalSeconds(),
                        c.timeoutSeconds(), c.startPeriodSeconds(), c.failureThreshold());
    }

    private static int or(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
