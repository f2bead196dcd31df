package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts, stops and reports the components of one local platform, in order. Every component runs detached with its PID
 * in {@code run/NAME.pid}, so {@code up} twice is harmless and {@code down} stops exactly what {@code up} started.
 */
public final class Platform {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Layout layout;
    private final List<HostSetup> setups;
    private final List<Component> components;
    private final Map<String, String> environment;
    private final PrintStream out;

    /**
     * @param environment what {@code .fleet/env} says about the running platform (URLs, demo image)
     */
    public Platform(Layout layout, List<Component> components, Map<String, String> environment, PrintStream out) {
        this(layout, List.of(), components, environment, out);
    }

    /**
     * @param setups what the host needs before the first component starts (made in order, removed in reverse after
     *        the last component stopped)
     */
    Platform(Layout layout, List<HostSetup> setups, List<Component> components, Map<String, String> environment,
            PrintStream out) {
        this.layout = layout;
        this.setups = List.copyOf(setups);
        this.components = List.copyOf(components);
        this.environment = environment;
        this.out = out;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Starts whatever is not running yet, waits until each is ready, then writes the env file. */
    public void up() {
        long started = System.nanoTime();
        for (HostSetup setup : setups) {
            long t0 = System.nanoTime();
            try {
                setup.ensure();
            } catch (RuntimeException e) {
                throw new LaunchException(setup.name() + " could not be set up: " + e.getMessage(), e);
            }
            say("%-15s ready in %.1f s: %s", setup.name(), (System.nanoTime() - t0) / 1e9, setup.describe());
        }
        for (Component component : components) {
            Optional<Long> pid = runningPid(component);
            if (pid.isPresent()) {
                say("%-15s already running (pid %d) at %s", component.name(), pid.get(), component.endpoint());
                continue;
            }
            start(component);
        }
        writeEnvFile();
        say("all %d components ready in %d s; environment in %s", components.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), layout.envFile());
    }

    private void start(Component component) {
        long t0 = System.nanoTime();
        say("%-15s starting (log %s)", component.name(), layout.root().relativize(layout.log(component.name())));
        try {
            writePid(component, component.start(layout));
        } catch (Exception e) {
            throw new LaunchException(component.name() + " did not come up: " + e.getMessage()
                    + "\n--- last lines of " + layout.log(component.name()) + " ---\n"
                    + ManagedProcess.logTail(layout.log(component.name()), 30), e);
        }
        say("%-15s ready in %.1f s at %s", component.name(), (System.nanoTime() - t0) / 1e9, component.endpoint());
    }

    /** Stops every component, last started first; with {@code purge} also deletes their data. */
    public void down(boolean purge) {
        for (Component component : components.reversed()) {
            Optional<Long> pid = runningPid(component);
            if (pid.isPresent()) {
                say("%-15s stopping (pid %d)", component.name(), pid.get());
                ManagedProcess.stop(pid.get(), STOP_GRACE);
            }
            component.afterStop(layout);
            deleteQuietly(layout.pidFile(component.name()));
        }
        for (HostSetup setup : setups.reversed()) {
            setup.remove();
            say("%-15s removed", setup.name());
        }
        deleteQuietly(layout.envFile());
        if (purge) {
            deleteTree(layout.home().resolve("data"));
            deleteTree(layout.home().resolve("logs"));
            say("data and logs deleted");
        }
        say("stopped");
    }

    /** One line per component: running or not, PID, endpoint. Returns true when all run. */
    public boolean status() {
        boolean all = true;
        for (HostSetup setup : setups) {
            boolean present = setup.present();
            all &= present;
            out.printf("%-15s %-18s %-8s %s%n", setup.name(), present ? "ready" : "missing", "-", setup.describe());
        }
        for (Component component : components) {
            Optional<Long> pid = runningPid(component);
            all &= pid.isPresent();
            String health = pid.isEmpty() ? "stopped" : component.ready() ? "ready" : "running, not ready";
            out.printf("%-15s %-18s %-8s %s%n", component.name(), health, pid.map(Object::toString).orElse("-"),
                    component.endpoint());
        }
        return all;
    }

    /** True when any component's process runs. */
    public boolean anyRunning() {
        return components.stream().anyMatch(c -> runningPid(c).isPresent());
    }

    private Optional<Long> runningPid(Component component) {
        Path file = layout.pidFile(component.name());
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ManagedProcess.isAlive(pid) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void writePid(Component component, long pid) {
        write(layout.pidFile(component.name()), pid + "\n");
    }

    private void writeEnvFile() {
        StringBuilder text = new StringBuilder("# Written by ./fleet up; source it: . .fleet/env\n");
        environment.forEach((key, value) -> text.append("export ").append(key).append('=').append(value).append('\n'));
        write(layout.envFile(), text.toString());
    }

    private void say(String format, Object... args) {
        out.println("[fleet] " + String.format(format, args));
        out.flush();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale PID file is harmless: its PID is checked before use
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
