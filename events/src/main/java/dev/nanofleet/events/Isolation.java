package dev.nanofleet.events;

/** How an instance is isolated on its node. The API also accepts "auto", which control-api resolves to one of these. */
public enum Isolation {
    /** Its own lightweight VM with its own kernel. Required for untrusted tenants. */
    HARDWARE,
    /** A plain OCI container sharing the node's kernel; a node's kernel is never shared between tenants. */
    SHARED
}
