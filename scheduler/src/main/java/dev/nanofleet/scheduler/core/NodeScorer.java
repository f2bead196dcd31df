package dev.nanofleet.scheduler.core;

/**
 * Ranks a node that passed every filter; the scheduler sums the scorers and takes the highest. Stateless and
 * thread-safe. Scores are integers so that sums are exact and ties are real ties, settled by {@link TieBreak}.
 */
public interface NodeScorer {

    /**
     * @param footprint where the request's deployment already runs, over the whole fleet (not only the scored
     *        nodes); never null
     */
    long score(PlacementRequest request, NodeFacts node, Footprint footprint);
}
