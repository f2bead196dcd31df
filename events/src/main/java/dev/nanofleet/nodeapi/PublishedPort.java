package dev.nanofleet.nodeapi;

/** A TCP port an instance listens on that the node publishes on one of its own ports. */
public record PublishedPort(int containerPort) {
}
