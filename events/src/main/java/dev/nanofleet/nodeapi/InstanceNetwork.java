package dev.nanofleet.nodeapi;

import java.util.List;

/**
 * Where an instance can be reached on its node.
 *
 * @param address the instance's IPv4 address on its tenant's network on the node
 * @param ports each published container port and the node port it is reachable on
 */
public record InstanceNetwork(String address, List<PortBinding> ports) {

    public record PortBinding(int containerPort, int hostPort) {
    }
}
