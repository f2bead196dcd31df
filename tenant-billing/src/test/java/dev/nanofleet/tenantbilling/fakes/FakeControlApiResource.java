package dev.nanofleet.tenantbilling.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the JVM's {@link FakeControlApi} and points {@code nanofleet.billing.control-api-url} at it. */
public class FakeControlApiResource implements QuarkusTestResourceLifecycleManager {

    private static FakeControlApi shared;

    public static synchronized FakeControlApi shared() {
        if (shared == null) {
            shared = FakeControlApi.start();
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("nanofleet.billing.control-api-url", shared().url());
    }

    @Override
    public void stop() {
        // shared by the JVM's test classes; the server's threads end with the JVM
    }
}
