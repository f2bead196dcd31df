package dev.nanofleet.launcher;

/**
 * Something of the host's the platform needs before any of its processes start (e.g. the nodes' network), made by
 * {@code up} and removed by {@code down} after every process stopped. Both are idempotent.
 */
interface HostSetup {

    String name();

    /** For status: what it is, e.g. its addresses. */
    String describe();

    /** True when it is all there. */
    boolean present();

    void ensure();

    void remove();
}
