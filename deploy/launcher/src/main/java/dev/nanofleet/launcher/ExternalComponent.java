package dev.nanofleet.launcher;

import java.util.function.BooleanSupplier;

/** A third-party server whose start-up (and readiness wait) lives in test-support, shared with the tests. */
final class ExternalComponent implements Component {

    /** Starts the server detached, waits until ready, returns its PID. */
    @FunctionalInterface
    interface Starter {
        long start(Layout layout) throws Exception;
    }

    private final String name;
    private final String endpoint;
    private final Starter starter;
    private final BooleanSupplier ready;

    ExternalComponent(String name, String endpoint, Starter starter, BooleanSupplier ready) {
        this.name = name;
        this.endpoint = endpoint;
        this.starter = starter;
        this.ready = ready;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public long start(Layout layout) throws Exception {
        return starter.start(layout);
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean();
    }
}
