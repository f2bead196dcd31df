package dev.nanofleet.launcher;

import java.nio.file.Path;

/**
 * Where a local platform keeps its things: {@code root} is the repository (service jars, realm), {@code home} the
 * {@code .fleet} directory (tools, data, logs, PID files, the env file).
 */
public record Layout(Path root, Path home) {

    public Path data(String component) {
        return home.resolve("data").resolve(component);
    }

    public Path log(String component) {
        return home.resolve("logs").resolve(component + ".log");
    }

    public Path pidFile(String component) {
        return home.resolve("run").resolve(component + ".pid");
    }

    public Path envFile() {
        return home.resolve("env");
    }

    /** The launcher's own jar, whose manifest names its libraries: the class path for helper processes. */
    public Path launcherJar() {
        return root.resolve("deploy/launcher/target/launcher.jar");
    }

    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
