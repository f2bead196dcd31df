package dev.nanofleet.scheduler.core;

import java.util.Optional;

/**
 * One feasibility check, in the manner of a Kubernetes filter plugin: a node either can take the request or is
 * rejected with a short reason written for the tenant ("insufficient memory"). Implementations are stateless,
 * thread-safe and cheap; they run once per node per request.
 */
public interface NodeFilter {

    /** @return empty when {@code node} can take {@code request}, otherwise the reason it cannot; never null */
    Optional<String> reject(PlacementRequest request, NodeFacts node);
}
