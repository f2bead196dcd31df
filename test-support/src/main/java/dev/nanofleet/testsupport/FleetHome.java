package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Locates Nanofleet's working directory {@code .fleet} (tools, caches, data) and the repository
 * checkout.
 *
 * <p>
 * Order: system property {@code nanofleet.fleet.home} (surefire and failsafe set it), else env
 * {@code NANOFLEET_HOME}, else {@code .fleet} in the first directory at or above the working
 * directory that holds {@code mvnw}.
 */
public final class FleetHome {

    public static final String PROPERTY = "nanofleet.fleet.home";
    public static final String ENV = "NANOFLEET_HOME";
    public static final String CACHE_PROPERTY = "nanofleet.cache";
    public static final String CACHE_ENV = "NANOFLEET_CACHE";
    private static final String PREPARE_HINT = "run ./fleet mvn -pl deploy/tools generate-resources (or any build of the reactor, which builds deploy/tools first)";

    private static final Properties VERSIONS = loadVersions();

    private FleetHome() {
    }

    /** The {@code .fleet} directory (it need not exist yet). */
    public static Path dir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path root = findRepoRootFromWorkingDir();
        if (root == null) {
            throw new IllegalStateException("cannot locate .fleet: set -D" + PROPERTY + " or env " + ENV
                    + ", or run from inside the Nanofleet checkout (no mvnw found above " + workingDir() + ")");
        }
        return root.resolve(".fleet");
    }

    /**
     * The repository checkout: the directory holding {@code mvnw} above the working directory, else
     * the parent of {@link #dir()}.
     */
    public static Path repoRoot() {
        Path root = findRepoRootFromWorkingDir();
        if (root != null) {
            return root;
        }
        Path parent = dir().getParent();
        if (parent != null && Files.isRegularFile(parent.resolve("mvnw"))) {
            return parent;
        }
        throw new IllegalStateException("cannot locate the Nanofleet checkout (no mvnw above " + workingDir()
                + " nor next to " + dir() + ")");
    }

    /** {@code .fleet/tools}. */
    public static Path tools() {
        return dir().resolve("tools");
    }

    /**
     * The cache of built artefacts keyed by their inputs (guest kernel, demo image, exec helper, portal build), created.
     * It lives outside the checkout so a fresh clone on the same machine (CI) reuses what an earlier one built, while a
     * fresh machine builds it once: system property {@code nanofleet.cache}, else env {@code NANOFLEET_CACHE} (the
     * {@code ./fleet} script exports it), else {@code $XDG_CACHE_HOME/nanofleet}, else {@code ~/.cache/nanofleet}.
     */
    public static Path cache() {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return createDirs(Path.of(prop).toAbsolutePath().normalize());
        }
        String env = System.getenv(CACHE_ENV);
        if (env != null && !env.isBlank()) {
            return createDirs(Path.of(env).toAbsolutePath().normalize());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return createDirs(base.resolve("nanofleet").toAbsolutePath().normalize());
    }

    public static String keycloakVersion() {
        return VERSIONS.getProperty("keycloak.version");
    }

    public static String kafkaVersion() {
        return VERSIONS.getProperty("kafka.broker.version");
    }

    /** The unpacked Keycloak distribution; fails with a hint when it is missing. */
    public static Path keycloakDist() {
        Path dist = tools().resolve("keycloak-" + keycloakVersion());
        if (!Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(
                    "Keycloak " + keycloakVersion() + " is not prepared at " + dist + ": " + PREPARE_HINT);
        }
        return dist;
    }

    /** The Kafka broker's jar directory; fails with a hint when it is missing. */
    public static Path kafkaLib() {
        Path lib = tools().resolve("kafka-" + kafkaVersion()).resolve("lib");
        if (!Files.isRegularFile(lib.resolve("kafka_2.13-" + kafkaVersion() + ".jar"))) {
            throw new IllegalStateException(
                    "the Kafka " + kafkaVersion() + " broker jars are not prepared at " + lib + ": " + PREPARE_HINT);
        }
        return lib;
    }

    /** The home directory of the JVM running this code. */
    public static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The {@code java} launcher of the JVM running this code. */
    public static Path javaBin() {
        return javaHome().resolve("bin").resolve("java");
    }

    static Path createDirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static Path workingDir() {
        return Path.of("").toAbsolutePath();
    }

    private static Path findRepoRootFromWorkingDir() {
        for (Path p = workingDir(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve(".mvn"))) {
                return p;
            }
        }
        return null;
    }

    private static Properties loadVersions() {
        Properties p = new Properties();
        try (InputStream in = FleetHome.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.putIfAbsent("keycloak.version", "26.7.3");
        p.putIfAbsent("kafka.broker.version", "4.3.1");
        return p;
    }
}
