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
    /** SIGKILL takes effect at once; a process in uninterruptible sleep (disk) may take a moment. */
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(30);

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

    /**
     * {@code kill -9}: sends SIGKILL to the component's recorded process (only that one, as a crash would end it: a
     * node agent's containers and VMs live on) and to the process trees it names in {@link Component#detachedPids}
     * (PostgreSQL's postmaster and backends), then waits until they are gone. Its PID file stays; {@link #up()} finds
     * the PID dead and starts the component again.
     *
     * @throws LaunchException when the component is not running, or a process outlives the deadline
     */
    public void kill(String name) {
        Component component = component(name);
        List<ProcessHandle> victims = new ArrayList<>();
        runningPid(component).flatMap(ProcessHandle::of).ifPresent(victims::add);
        if (victims.isEmpty()) {
            throw new LaunchException(name + " is not running, so it cannot be killed", null);
        }
        for (long pid : component.detachedPids(layout)) {
            ProcessHandle.of(pid).ifPresent(root -> {
                victims.add(root);
                root.descendants().forEach(victims::add);
            });
        }
        say("%-15s kill -9 %s", name, victims.stream().map(h -> Long.toString(h.pid())).toList());
        victims.forEach(ProcessHandle::destroyForcibly);
        long end = System.nanoTime() + KILL_DEADLINE.toNanos();
        for (ProcessHandle victim : victims) {
            try {
                victim.onExit().get(Math.max(1, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new LaunchException(name + ": process " + victim.pid() + " still alive " + KILL_DEADLINE
                        + " after SIGKILL", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new LaunchException(name + ": cannot wait for process " + victim.pid() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while killing " + name, e);
            }
        }
    }

    /** Whether the component's recorded process is alive (not whether it is ready). */
    public boolean running(String name) {
        return runningPid(component(name)).isPresent();
    }

    /**
     * This platform and a second instance of its service {@code name} (same configuration, another port, its own name
     * for PID file, log and data), started right after it: e.g. two schedulers sharing the work through their consumer
     * group.
     *
     * @throws IllegalArgumentException when there is no such service (only our own Quarkus services can be doubled)
     */
    public Platform withAnother(String name, String otherName, int port) {
        if (!(component(name) instanceof QuarkusService service)) {
            throw new IllegalArgumentException(name + " is not one of our services: it cannot be doubled");
        }
        List<Component> all = new ArrayList<>(components);
        all.add(all.indexOf(service) + 1, service.another(otherName, port));
        return new Platform(layout, setups, all, environment, out);
    }

    private Component component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component named " + name + "; there are "
                        + components.stream().map(Component::name).toList()));
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
