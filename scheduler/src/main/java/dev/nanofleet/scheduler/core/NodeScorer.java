package dev.nanofleet.scheduler.core;

/**
 * Ranks a node that passed every filter; the scheduler sums the scorers and takes the highest. Stateless and
 * thread-safe. Scores are integers so that sums are exact and ties are real ties, settled by {@link TieBreak}.
 */
public interface NodeScorer {

    long score(PlacementRequest request, NodeView node);
}
