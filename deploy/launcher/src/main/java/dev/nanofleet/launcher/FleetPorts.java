package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.Ports;

/**
 * The loopback ports of one local platform.
 *
 * @param edge the edge service's own HTTP port (health, its served routes)
 * @param edgeHttps where deployments answer, {@code https://<name>-<tenant>.apps.localhost:<edgeHttps>/} (HAProxy)
 * @param edgeHttp plain HTTP, redirecting to {@code edgeHttps}
 */
public record FleetPorts(int postgres, int kafka, int kafkaController, int keycloak, int registry, int controlApi,
        int scheduler, int nodeAgent, int billing, int webUi, int edge, int edgeHttps, int edgeHttp) {

    /** The fixed ports of {@code ./fleet up}, listed in the README. */
    public static FleetPorts defaults() {
        return new FleetPorts(15432, 19092, 19093, 18080, 15000, 18081, 18082, 18083, 18084, 18085, 18086, 18443,
                18088);
    }

    /** Free ports picked at random, for a platform started by a test beside anything else running. */
    public static FleetPorts free() {
        return new FleetPorts(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free());
    }
}
