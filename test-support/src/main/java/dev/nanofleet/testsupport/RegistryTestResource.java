package dev.nanofleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The JVM's shared OCI registry with the demo image pushed. Returns {@code nanofleet.test.registry}
 * ({@code 127.0.0.1:PORT}) and {@code nanofleet.test.demo-image} ({@code 127.0.0.1:PORT/demo/hello:1}).
 * Needs the host tools docker-registry, umoci and skopeo (fails with a clear message if missing).
 */
public class RegistryTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        OciRegistry registry = OciRegistry.shared();
        return Map.of("nanofleet.test.registry", registry.address(), "nanofleet.test.demo-image", demoImage(registry));
    }

    private static String demoImage(OciRegistry registry) {
        return JvmShared.get("nanofleet.shared.demo-image", () -> DemoImage.pushTo(registry));
    }

    @Override
    public void stop() {
        // the registry is shared by the JVM and stopped on exit
    }
}
