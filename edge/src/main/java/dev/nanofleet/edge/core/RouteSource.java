package dev.nanofleet.edge.core;

import java.util.List;

/**
 * Where routes come from: the control plane's list of deployments with a published port and their serving replicas.
 * Called from one thread at a time.
 */
public interface RouteSource {

    /**
     * @return every live deployment with a published port, with the replicas that serve now
     * @throws Exception when the list cannot be read now (the edge keeps its routes and tries again)
     */
    List<DeploymentRoute> fetch() throws Exception;
}
