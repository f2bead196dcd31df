package dev.nanofleet.node.exec;

import dev.nanofleet.node.host.Exec;
import dev.nanofleet.testsupport.FleetHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** nf-exec for tests: built by deploy/exec-helper/build into the fleet cache (once; about a second). */
public final class ExecHelperBuild {

    private ExecHelperBuild() {
    }

    public static Path ensure() {
        Path out = FleetHome.cache().resolve("exec-helper");
        Exec.Result built = Exec.run(List.of(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                out.toString()), Duration.ofMinutes(2));
        if (!built.ok()) {
            throw new IllegalStateException("deploy/exec-helper/build failed: " + built.message());
        }
        return out.resolve("nf-exec");
    }
}
