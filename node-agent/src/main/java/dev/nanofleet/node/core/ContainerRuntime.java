package dev.nanofleet.node.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs instances in one isolation mode. Instances outlive the agent process: a restarted agent finds them again through
 * {@link #list()} and adopts them.
 *
 * <p>
 * Thread-safe: the reconciler calls {@link #list()} from its loop while workers start and stop instances. Methods
 * throw {@link RuntimeFailure} when the runtime itself fails (as opposed to an instance exiting).
 */
public interface ContainerRuntime {

    /** The isolation mode this runtime provides. */
    Isolation isolation();

    /** Where the image for an instance is to be unpacked before {@link #start}. */
    Path bundleDir(UUID instanceId);

    /**
     * Every instance this runtime knows of on this node, running or ended (an ended one stays listed with its exit code
     * until {@link #remove}). Instances still being prepared are not listed.
     */
    List<RuntimeInstance> list();

    /** The state of one instance, empty if the runtime does not know it. */
    Optional<RuntimeInstance> state(UUID instanceId);

    /**
     * Where a running instance is reachable, right after {@link #start} returned: what {@link #state} would say of its
     * network, without asking the runtime whether it runs (its start just said so). Empty without a network.
     */
    default Optional<InstanceNetwork> network(UUID instanceId) {
        return state(instanceId).map(RuntimeInstance::network);
    }

    /**
     * Starts an instance from an unpacked image and returns once its process runs (or has already ended).
     *
     * @throws RuntimeFailure with a reason for a person if it could not be started
     */
    void start(Assignment assignment, PreparedImage image);

    /**
     * Asks the instance to end (SIGTERM), waits up to {@code grace}, then kills it. Returns once it has ended. A no-op
     * for an instance that already ended or does not exist.
     */
    void stop(UUID instanceId, Duration grace);

    /** Forgets an ended instance and frees its disk. The instance must not be running. */
    void remove(UUID instanceId);

    /** What a running instance uses now; empty when it is not running or cannot be measured. */
    Optional<Usage> usage(UUID instanceId);

    /**
     * @param cpuNanos CPU time used since the instance's process (or VM) started
     * @param memoryBytes memory in use now, page cache that can be dropped not counted
     */
    record Usage(long cpuNanos, long memoryBytes) {
    }

    /**
     * One instance as the runtime sees it.
     *
     * @param network where a running instance is reachable; null when it has no network or has ended
     */
    record RuntimeInstance(UUID id, Status status, Integer exitCode, String reason, InstanceNetwork network) {
        public static RuntimeInstance running(UUID id) {
            return new RuntimeInstance(id, Status.RUNNING, null, null, null);
        }

        public static RuntimeInstance running(UUID id, InstanceNetwork network) {
            return new RuntimeInstance(id, Status.RUNNING, null, null, network);
        }

        public static RuntimeInstance exited(UUID id, int exitCode, String reason) {
            return new RuntimeInstance(id, Status.EXITED, exitCode, reason, null);
        }
    }

    enum Status {
        RUNNING, EXITED
    }

    /** The runtime could not do what was asked; the message is meant for a person. */
    class RuntimeFailure extends RuntimeException {
        public RuntimeFailure(String message) {
            super(message);
        }

        public RuntimeFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
