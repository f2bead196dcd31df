package dev.nanofleet.controlapi.nodeos;

import dev.nanofleet.nodeapi.OsReleaseManifest;
import java.util.Map;
import java.util.Optional;

/** What makes a release directory's manifest acceptable, without I/O. */
final class ReleaseRules {

    private static final String SHA256 = "[0-9a-f]{64}";

    private ReleaseRules() {
    }

    /** Why the manifest found in directory {@code dirName} is not a release, or empty when it is one. */
    static Optional<String> problem(String dirName, OsReleaseManifest manifest) {
        if (manifest == null || manifest.version() == null || !manifest.version().equals(dirName)) {
            return Optional.of("the manifest's version is not the directory's name " + dirName);
        }
        if (manifest.files() == null || !manifest.files().keySet().equals(OsReleaseManifest.FILES)) {
            return Optional.of("the manifest must list exactly " + OsReleaseManifest.FILES.stream().sorted().toList());
        }
        for (Map.Entry<String, OsReleaseManifest.FileDigest> f : manifest.files().entrySet()) {
            if (f.getValue() == null || f.getValue().sha256() == null || !f.getValue().sha256().matches(SHA256)
                    || f.getValue().bytes() < 0) {
                return Optional.of(f.getKey() + " needs a lower-case hex sha256 and a size");
            }
        }
        return Optional.empty();
    }
}
