package dev.nanofleet.controlapi.nodeos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The node OS releases in {@code nanofleet.control-api.node-os.releases-dir}: each directory named after a version,
 * holding a {@code manifest.json} that names that version and lists exactly the release's files, each present with
 * the size it states. A directory that breaks any of that is not a release (and is logged). Read on each call: an
 * operator adds a release by copying its directory in (best under another name, then renaming it).
 *
 * <p>
 * Nothing a client sends becomes part of a path before it is found, equal, among the listed versions and file names.
 */
@ApplicationScoped
public class NodeOsReleases {

    private static final Logger LOG = Logger.getLogger(NodeOsReleases.class);

    private final Optional<Path> dir;
    private final ObjectMapper mapper = EventCodec.mapper();

    @Inject
    NodeOsReleases(ControlApiConfig config) {
        this(config.nodeOs().releasesDir().map(Path::of));
    }

    /** For tests: releases in {@code dir}, or none configured. */
    public NodeOsReleases(Optional<Path> dir) {
        this.dir = dir;
    }

    void checkAtStart(@Observes StartupEvent event) {
        dir.ifPresent(d -> {
            if (!Files.exists(d)) {
                // a volume mounted later, or a directory an operator makes with the first release: read on each call
                LOG.warnf("event=node-os.releases dir=%s reason=\"does not exist (yet): no releases until it does\"",
                        d);
                return;
            }
            if (!Files.isDirectory(d)) {
                throw new IllegalStateException("nanofleet.control-api.node-os.releases-dir: " + d
                        + " is not a directory");
            }
            LOG.infof("event=node-os.releases dir=%s versions=%s", d, list().stream()
                    .map(OsReleaseManifest::version).toList());
        });
    }

    public boolean configured() {
        return dir.isPresent();
    }

    /** Every valid release, by version. Empty when none is configured. */
    public List<OsReleaseManifest> list() {
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return List.of();
        }
        List<OsReleaseManifest> releases = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir.get())) {
            for (Path release : entries.sorted().toList()) {
                read(release).ifPresent(releases::add);
            }
        } catch (IOException e) {
            LOG.errorf("event=node-os.releases.unreadable dir=%s reason=\"%s\"", dir.get(), e.getMessage());
            return List.of();
        }
        releases.sort(Comparator.comparing(OsReleaseManifest::version));
        return releases;
    }

    /** The release named {@code version}, if it is one of {@link #list()}. */
    public Optional<OsReleaseManifest> find(String version) {
        return list().stream().filter(r -> r.version().equals(version)).findFirst();
    }

    /**
     * The file {@code name} of release {@code version}, when both are listed: the path is built from the listed
     * strings, never from the caller's.
     */
    public Optional<ReleaseFile> file(String version, String name) {
        return find(version).flatMap(release -> release.files().entrySet().stream()
                .filter(f -> f.getKey().equals(name)).findFirst()
                .map(f -> new ReleaseFile(dir.get().resolve(release.version()).resolve(f.getKey()),
                        f.getValue().bytes())));
    }

    public record ReleaseFile(Path path, long bytes) {
    }

    private Optional<OsReleaseManifest> read(Path release) {
        String name = release.getFileName().toString();
        Path manifestFile = release.resolve(OsReleaseManifest.MANIFEST);
        if (!name.matches(OsReleaseManifest.VERSION_PATTERN) || !Files.isRegularFile(manifestFile)) {
            return Optional.empty(); // a copy in progress, or something else
        }
        try {
            OsReleaseManifest manifest = mapper.readValue(manifestFile.toFile(), OsReleaseManifest.class);
            Optional<String> problem = ReleaseRules.problem(name, manifest);
            if (problem.isEmpty()) {
                for (Map.Entry<String, OsReleaseManifest.FileDigest> f : manifest.files().entrySet()) {
                    Path file = release.resolve(f.getKey());
                    if (!Files.isRegularFile(file) || Files.size(file) != f.getValue().bytes()) {
                        problem = Optional.of(f.getKey() + " is missing or not " + f.getValue().bytes() + " bytes");
                        break;
                    }
                }
            }
            if (problem.isPresent()) {
                LOG.warnf("event=node-os.release.invalid dir=%s reason=\"%s\"", release, problem.get());
                return Optional.empty();
            }
            return Optional.of(new OsReleaseManifest(manifest.version(), Map.copyOf(manifest.files())));
        } catch (IOException e) {
            LOG.warnf("event=node-os.release.invalid dir=%s reason=\"%s\"", release, e.getMessage());
            return Optional.empty();
        }
    }
}
