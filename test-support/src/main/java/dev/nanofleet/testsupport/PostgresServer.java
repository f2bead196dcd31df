package dev.nanofleet.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Embedded PostgreSQL 17 (zonky binaries), on 127.0.0.1. As root it works too (zonky wraps initdb
 * and postgres in {@code unshare -U}).
 *
 * <p>
 * Note: zonky starts postgres with {@code pg_ctl}, so the postmaster is not a child of this JVM:
 * stop it with {@link #close()} (a shutdown hook does it on normal JVM exit, and
 * {@link PostgresMain} does it on SIGTERM). A SIGKILLed JVM leaves postgres running.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";
    private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static PostgresServer shared;

    private final EmbeddedPostgres pg;
    private final int port;
    private final Path dataDir;
    private final boolean ephemeral;

    private PostgresServer(EmbeddedPostgres pg, int port, Path dataDir, boolean ephemeral) {
        this.pg = pg;
        this.port = port;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    /** One ephemeral server per JVM, started on first use and stopped on JVM exit. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer[] started = new PostgresServer[1];
            String port = JvmShared.get("nanofleet.shared.postgres-port", () -> {
                started[0] = startEphemeral();
                return String.valueOf(started[0].port());
            });
            // started by another class loader of this JVM: use it, do not own it
            shared = started[0] != null ? started[0] : new PostgresServer(null, Integer.parseInt(port), null, true);
        }
        return shared;
    }

    /** A fresh server on a random port in a temporary directory, deleted when stopped (also on JVM exit). */
    public static PostgresServer startEphemeral() {
        try {
            long started = System.nanoTime();
            Path dir = Files.createTempDirectory("nanofleet-pg-");
            EmbeddedPostgres pg = builder().setDataDirectory(dir).setCleanDataDirectory(true)
                    .setRegisterShutdownHook(true).start();
            return announce(new PostgresServer(pg, pg.getPort(), dir, true), started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * A server keeping its data in {@code dataDir} (initialised on first use) on a fixed port. Stops
     * on {@link #close()} or JVM exit; the data stays.
     */
    public static PostgresServer startPersistent(Path dataDir, int port) {
        try {
            long started = System.nanoTime();
            Files.createDirectories(dataDir.toAbsolutePath().getParent());
            EmbeddedPostgres pg = builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .setRegisterShutdownHook(true).start();
            return announce(new PostgresServer(pg, pg.getPort(), dataDir, false), started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir + " on port " + port, e);
        }
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off");
    }

    private static PostgresServer announce(PostgresServer s, long started) {
        System.err.printf("[nanofleet] PostgreSQL ready on 127.0.0.1:%d in %d ms (data %s)%n", s.port(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), s.dataDir);
        return s;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean ephemeral() {
        return ephemeral;
    }

    /** The JDBC URL of database {@code name} (which need not exist). */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + name;
    }

    /**
     * Creates database {@code name} unless it exists (lower-case letters, digits, underscore) and
     * returns its JDBC URL.
     */
    public synchronized String createDatabase(String name) {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DB_NAME + ": " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port(), e);
        }
        return jdbcUrl(name);
    }

    @Override
    public void close() {
        if (pg == null) {
            return; // not ours (started by another class loader of this JVM)
        }
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port(), e);
        }
    }
}
