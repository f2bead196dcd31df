package dev.nanofleet.controlapi.network;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Tenants' private networks across nodes. Env form: {@code NANOFLEET_NETWORK_PRIVATE_RANGE=10.192.0.0/12}.
 */
@ConfigMapping(prefix = "nanofleet.network")
public interface PrivateNetworkConfig {

    /**
     * Whether control-api allocates private networks; off, nodes get none and keep their per-node tenant subnets
     * (instances reach nothing on other nodes).
     */
    @WithDefault("true")
    boolean privateEnabled();

    /**
     * Where every (tenant, node) /24 comes from: a private IPv4 network from /8 to /24 that overlaps no node's own pool
     * (the agents' {@code auto} candidates 10.213-10.216/16), the nodes' network, nor the hosts' other networks. The
     * default 10.192.0.0/12 (10.192-10.207) holds 4096 tenant-node pairs. Checked at start-up
     * ({@link PrivateNetworks}); changing it later leaves the subnets allocated so far where they are.
     */
    @WithDefault("10.192.0.0/12")
    String privateRange();
}
