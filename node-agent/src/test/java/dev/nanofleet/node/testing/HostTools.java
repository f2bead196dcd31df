package dev.nanofleet.node.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Host tools an IT needs. Missing tools skip the test with the reason printed, except under CI=true, where they fail
 * it: CI must not go green by skipping.
 */
public final class HostTools {
    private HostTools() {
    }

    public static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (find(tool) == null) {
                missing.add(tool);
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (runc with cgroups)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "missing on this host: " + String.join(", ", missing)
                + " (apt-get install runc skopeo umoci docker-registry busybox-static)";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + "; CI=true, so this is a failure rather than a skip");
        }
        System.out.println("[skip] " + reason);
        Assumptions.abort(reason);
    }

    public static Path find(String tool) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (!dir.isBlank() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
