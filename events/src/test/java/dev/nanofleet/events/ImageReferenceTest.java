package dev.nanofleet.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void a_registry_reference_splits_into_domain_path_tag_and_digest() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        ImageReference r = ImageReference.parse("127.0.0.1:5000/demo/hello:1@" + digest);

        assertThat(r.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(r.path()).isEqualTo("demo/hello");
        assertThat(r.tag()).isEqualTo("1");
        assertThat(r.digest()).isEqualTo(digest);
        assertThat(r).hasToString("127.0.0.1:5000/demo/hello:1@" + digest);
        assertThat(r.dockerTransport()).isEqualTo("docker://127.0.0.1:5000/demo/hello:1@" + digest);
    }

    @Test
    void a_reference_prints_as_it_was_written() {
        for (String s : new String[]{"busybox", "busybox:1.36", "library/busybox:latest", "localhost/app",
                "localhost:5000/app:v1.2_3", "registry.example.com/team/app-x/web__1:tag-1", "ghcr.io/a/b@sha256:"
                        + "ab".repeat(32)}) {
            assertThat(ImageReference.parse(s)).hasToString(s);
        }
    }

    @Test
    void the_registry_is_the_first_component_only_when_it_looks_like_a_host_as_docker_decides() {
        assertThat(ImageReference.parse("busybox:1.36").registry()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("team/app").registry()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("team/app").path()).isEqualTo("app");
        assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("localhost:5000/app").registry()).isEqualTo("localhost:5000");
        assertThat(ImageReference.parse("registry.example.com/app").registry()).isEqualTo("registry.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:/var/lib/images/layout:1", "oci:/etc", "oci:layout", "oci-archive:/tmp/x.tar",
            "oci-archive:x.tar", "dir:/etc", "docker-archive:/tmp/a.tar", "docker-daemon:app:1",
            "containers-storage:app", "OCI:/etc", "docker://registry.example.com/app:1", "file:///etc/passwd",
            "ostree:x", "sif:/x.sif", "tarball:/x.tar"})
    void a_transport_other_than_a_registry_is_refused_naming_it(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names the transport '" + reference.substring(0, reference.indexOf(':') + 1)
                        + "'")
                .hasMessageContaining("only registry references");
        assertThat(ImageReference.isValid(reference)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Busybox", "busybox:", "busybox:-x", ":tag", "/app", "app/", "a//b", "host:port/app",
            "busybox@sha256:short", "bus box", "busybox\n", "busybox\u0000", "../etc/passwd", "app:1:2",
            "-app", "app@"})
    void what_is_not_in_the_grammar_is_refused(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry[:port]/repository[:tag][@digest]");
    }

    @Test
    void empty_and_oversize_references_are_refused() {
        assertThatThrownBy(() -> ImageReference.parse(null)).hasMessage("an image reference is required");
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessage("an image reference is required");
        assertThatThrownBy(() -> ImageReference.parse("a/".repeat(300) + "b")).hasMessageContaining(
                "at most 512 characters");
    }

    @Test
    void control_characters_do_not_reach_the_message() {
        assertThatThrownBy(() -> ImageReference.parse("oci:/x\r\nInjected: yes")).hasMessageNotContaining("\n")
                .hasMessageNotContaining("\r").hasMessageContaining("oci:/x??Injected");
    }
}
