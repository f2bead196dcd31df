package dev.nanofleet.controlapi.logs;

import dev.nanofleet.nodeapi.ExecGrant;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Signs the grants control-api sends with a log read: valid for one node and one instance (or the node's own logs) for
 * a minute, so a node that keeps one can use it nowhere else. Agents get {@link #publicKey()} in their registration answer.
 */
@Startup // a bad key stops start-up instead of the first registration
@ApplicationScoped
public class LogsSigner {

    private static final Logger LOG = Logger.getLogger(LogsSigner.class);

    private final KeyPair key;
    private final Clock clock;

    LogsSigner(LogsConfig config, Clock clock) {
        this.clock = clock;
        String seed = config.signingKey().filter(s -> !s.isBlank()).orElseGet(() -> {
            LOG.warn("nanofleet.logs.signing-key is unset: signing log grants with a key made now; agents learn it when"
                    + " they register, and a second control-api replica would need the same key");
            return GrantKeys.newSeed();
        });
        try {
            this.key = GrantKeys.fromSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    e.getMessage() + ": set NANOFLEET_LOGS_SIGNING_KEY (nanofleet.logs.signing-key)"
                            + " to the output of: head -c 32 /dev/urandom | base64",
                    e);
        }
    }

    /** A grant to read {@code instanceId}'s output on {@code node}, for {@link LogsGrant#LIFETIME}. */
    public String grant(String node, UUID instanceId) {
        return LogsGrant.readLogs(node, instanceId, clock.instant()).sign(key.getPrivate());
    }

    /**
     * A grant to read {@code node}'s own logs (its agent's log, its kernel's messages), for
     * {@link NodeLogsGrant#LIFETIME}; its scope keeps it from reading any instance's output, and an instance's grant
     * from reading the node's logs.
     */
    public String nodeGrant(String node) {
        return NodeLogsGrant.readNodeLogs(node, clock.instant()).sign(key.getPrivate());
    }

    /**
     * A grant to open one exec session ({@code sessionId}) in {@code instanceId} on {@code node}, for exactly this
     * command, tty and stdin, for {@link ExecGrant#LIFETIME}; signed with the same key, which agents already trust.
     */
    public String execGrant(String node, UUID instanceId, UUID sessionId, List<String> command, boolean tty,
            boolean stdin) {
        return ExecGrant.of(node, instanceId, sessionId, command, tty, stdin, clock.instant())
                .sign(key.getPrivate());
    }

    /** The public key agents verify grants with (base64 X.509). */
    public String publicKey() {
        return GrantKeys.encode(key.getPublic());
    }
}
