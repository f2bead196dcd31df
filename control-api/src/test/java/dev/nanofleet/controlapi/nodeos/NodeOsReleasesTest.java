package dev.nanofleet.controlapi.nodeos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.OsReleaseManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeOsReleasesTest {

    @TempDir
    Path dir;

    @Test
    void without_a_releases_dir_there_are_no_releases() {
        NodeOsReleases releases = new NodeOsReleases(Optional.empty());
        assertThat(releases.configured()).isFalse();
        assertThat(releases.list()).isEmpty();
        assertThat(releases.file("v1", "root.img")).isEmpty();
    }

    @Test
    void a_releases_dir_that_does_not_exist_yet_has_no_releases() {
        NodeOsReleases releases = new NodeOsReleases(Optional.of(dir.resolve("mounted-later")));
        assertThat(releases.configured()).isTrue();
        assertThat(releases.list()).isEmpty();
        assertThat(releases.find("v1")).isEmpty();
    }

    @Test
    void a_release_is_a_directory_named_after_its_manifests_version_holding_exactly_its_files() throws Exception {
        release("v1", "v1", null);
        release("v2", "v1", null); // names another version
        release("v3", "v3", "roothash"); // one file missing
        release("v4", "v4", "");
        Files.writeString(dir.resolve("v4").resolve("data-blocks"), "a different size");
        Files.createDirectories(dir.resolve("half-copied"));
        NodeOsReleases releases = new NodeOsReleases(Optional.of(dir));
        assertThat(releases.list()).extracting(OsReleaseManifest::version).containsExactly("v1");
        assertThat(releases.file("v1", "root.img")).hasValueSatisfying(f -> assertThat(f.path())
                .isEqualTo(dir.resolve("v1").resolve("root.img")));
    }

    @Test
    void names_a_caller_sends_are_looked_up_never_resolved() throws Exception {
        release("v1", "v1", null);
        NodeOsReleases releases = new NodeOsReleases(Optional.of(dir));
        assertThat(releases.file("v1", "manifest.json")).isEmpty();
        assertThat(releases.file("v1", "../v1/root.img")).isEmpty();
        assertThat(releases.file("./v1", "root.img")).isEmpty();
        assertThat(releases.file("v2", "root.img")).isEmpty();
        assertThat(releases.find("V1")).isEmpty();
    }

    @Test
    void a_manifest_must_list_exactly_the_release_files_with_hex_digests() {
        OsReleaseManifest.FileDigest ok = new OsReleaseManifest.FileDigest("a".repeat(64), 1);
        java.util.Map<String, OsReleaseManifest.FileDigest> all = new java.util.HashMap<>();
        OsReleaseManifest.FILES.forEach(f -> all.put(f, ok));
        assertThat(ReleaseRules.problem("v1", new OsReleaseManifest("v1", all))).isEmpty();
        assertThat(ReleaseRules.problem("v2", new OsReleaseManifest("v1", all))).isPresent();
        assertThat(ReleaseRules.problem("v1", null)).isPresent();
        java.util.Map<String, OsReleaseManifest.FileDigest> extra = new java.util.HashMap<>(all);
        extra.put("../../etc/passwd", ok);
        assertThat(ReleaseRules.problem("v1", new OsReleaseManifest("v1", extra))).isPresent();
        java.util.Map<String, OsReleaseManifest.FileDigest> upper = new java.util.HashMap<>(all);
        upper.put("roothash", new OsReleaseManifest.FileDigest("A".repeat(64), 1));
        assertThat(ReleaseRules.problem("v1", new OsReleaseManifest("v1", upper))).isPresent();
    }

    private void release(String dirName, String version, String missing) throws Exception {
        Path release = Files.createDirectories(dir.resolve(dirName));
        StringBuilder files = new StringBuilder();
        for (String file : OsReleaseManifest.FILES) {
            byte[] bytes = (version + file).getBytes(StandardCharsets.UTF_8);
            if (!file.equals(missing)) {
                Files.write(release.resolve(file), bytes);
            }
            files.append(files.isEmpty() ? "" : ",").append('"').append(file).append("\": {\"sha256\": \"")
                    .append(sha256(bytes)).append("\", \"bytes\": ").append(bytes.length).append('}');
        }
        Files.writeString(release.resolve("manifest.json"), "{\"version\": \"" + version + "\", \"files\": {" + files
                + "}}");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
