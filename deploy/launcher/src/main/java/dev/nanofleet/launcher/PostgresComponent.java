package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.PostgresMain;
import dev.nanofleet.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Embedded PostgreSQL in its own process ({@link PostgresMain}), keeping its data between runs. */
final class PostgresComponent implements Component {

    private final int port;
    private final List<String> databases;

    PostgresComponent(int port, List<String> databases) {
        this.port = port;
        this.databases = List.copyOf(databases);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String endpoint() {
        return jdbcUrl("") + " (user " + PostgresServer.USERNAME + ")";
    }

    @Override
    public long start(Layout layout) {
        List<String> command = new ArrayList<>(List.of(FleetHome.javaBin().toString(), "-Xmx128m", "-cp",
                layout.launcherJar().toString(), PostgresMain.class.getName(), "--port", Integer.toString(port),
                "--data", layout.data("postgres").resolve("pgdata").toString()));
        databases.forEach(db -> command.addAll(List.of("--database", db)));
        return startDetached(layout, ManagedProcess.builder(name(), command), Duration.ofSeconds(60));
    }

    /**
     * The postmaster, from the first line of {@code postmaster.pid} in the data directory: {@code pg_ctl} starts it in
     * a session of its own, so it outlives the launcher's process (PostgresMain) when that is killed.
     */
    @Override
    public List<Long> detachedPids(Layout layout) {
        Path pidFile = layout.data(name()).resolve("pgdata").resolve("postmaster.pid");
        try {
            List<String> lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
            return lines.isEmpty() ? List.of() : List.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            return List.of(); // being written or removed: no postmaster to name
        }
    }

    /** Ready once every database accepts a connection (PostgresMain creates them after start). */
    @Override
    public boolean ready() {
        for (String database : databases) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(database), PostgresServer.USERNAME,
                    PostgresServer.PASSWORD)) {
                // connected
            } catch (SQLException e) {
                return false;
            }
        }
        return true;
    }
}
