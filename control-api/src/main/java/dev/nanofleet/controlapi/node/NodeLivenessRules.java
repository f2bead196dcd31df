package dev.nanofleet.controlapi.node;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Which silent nodes to mark LOST now. Pure: the monitor feeds it what the database holds and the time, so the
 * safeguards are tested directly (NodeLivenessRulesTest).
 *
 * <ul>
 * <li>A node is silent when its last heartbeat is older than {@code lostAfter}.</li>
 * <li>Nothing is judged until control-api has watched for {@code lostAfter} itself: right after a start (or a long
 * pause of this process) every node looks silent through no fault of its own.</li>
 * <li>When more than {@code unhealthyShare} of the nodes not already LOST are silent, the control plane is suspected
 * (its database, its network, its own outage) and none is marked.</li>
 * <li>At most {@code maxLostPerMinute} marks in any sliding minute, counting the marks already made; the longest
 * silent go first.</li>
 * </ul>
 */
public final class NodeLivenessRules {

    /** What the rules need to know about one node not yet LOST. */
    public record Node(String name, Instant lastHeartbeat) {
    }

    /**
     * @param lost the nodes to mark LOST now, longest silent first
     * @param silent how many nodes are silent (marked or not)
     * @param controlPlaneSuspected true when the share of silent nodes held every mark back
     * @param deferred silent nodes held back by the rate limit, marked in a later minute
     */
    public record Decision(List<String> lost, int silent, boolean controlPlaneSuspected, int deferred) {
    }

    private final Duration lostAfter;
    private final double unhealthyShare;
    private final int maxLostPerMinute;

    public NodeLivenessRules(Duration lostAfter, double unhealthyShare, int maxLostPerMinute) {
        this.lostAfter = lostAfter;
        this.unhealthyShare = unhealthyShare;
        this.maxLostPerMinute = maxLostPerMinute;
    }

    public static NodeLivenessRules of(NodeLivenessConfig config) {
        return new NodeLivenessRules(config.lostAfter(), config.unhealthyShare(), config.maxLostPerMinute());
    }

    /**
     * Refuses (at start-up) a heartbeat flush interval above half of {@code lostAfter}: a node would look silent while
     * its heartbeats wait in memory to be written.
     */
    public static void checkFlushInterval(Duration flushInterval, Duration lostAfter) {
        if (flushInterval.multipliedBy(2).compareTo(lostAfter) > 0) {
            throw new IllegalArgumentException("nanofleet.control-api.node-liveness.heartbeat-flush-interval ("
                    + flushInterval + ") must be at most half of lost-after (" + lostAfter + ")");
        }
    }

    /** The oldest heartbeat a live node may have at {@code now}. */
    public Instant cutoff(Instant now) {
        return now.minus(lostAfter);
    }

    /**
     * @param live the nodes not LOST yet
     * @param watchingSince when this process started watching heartbeats
     * @param lostInLastMinute how many nodes were marked LOST in the minute before {@code now}
     */
    public Decision decide(List<Node> live, Instant now, Instant watchingSince, int lostInLastMinute) {
        Instant cutoff = cutoff(now);
        List<Node> silent = live.stream()
                .filter(n -> n.lastHeartbeat().isBefore(cutoff))
                .sorted(Comparator.comparing(Node::lastHeartbeat).thenComparing(Node::name))
                .toList();
        if (silent.isEmpty() || watchingSince.isAfter(cutoff)) {
            return new Decision(List.of(), silent.size(), false, 0);
        }
        if ((double) silent.size() / live.size() > unhealthyShare) {
            return new Decision(List.of(), silent.size(), true, 0);
        }
        int budget = Math.max(0, maxLostPerMinute - lostInLastMinute);
        List<String> lost = silent.stream().limit(budget).map(Node::name).toList();
        return new Decision(lost, silent.size(), false, silent.size() - lost.size());
    }
}
