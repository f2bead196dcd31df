package dev.nanofleet.node.core;

import static dev.nanofleet.node.core.Fakes.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.Fakes.FakeRuntime;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.nodeapi.DesiredState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImageCollectorTest {

    /** The cache as a map of bundle to digest plus a set of cached digests. */
    private static final class MemoryCache implements ImageCache {
        final Set<String> cached = new TreeSet<>();
        final Map<Path, String> bundles = new HashMap<>();

        @Override
        public Set<String> cachedDigests() {
            return Set.copyOf(cached);
        }

        @Override
        public Optional<String> digestOf(Path bundleDir) {
            return Optional.ofNullable(bundles.get(bundleDir));
        }

        @Override
        public void remove(String digest) {
            cached.remove(digest);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final MemoryCache cache = new MemoryCache();
    private final FakeRuntime runtime = new FakeRuntime();
    private final ImageCollector collector = new ImageCollector(cache, List.of(runtime), clock,
            Duration.ofMinutes(10));

    @Test
    void an_image_in_use_stays_and_an_unused_one_goes_after_the_grace_period() {
        UUID id = UUID.randomUUID();
        runtime.start(assignment(id, Isolation.SHARED, DesiredState.RUNNING), null);
        cache.cached.addAll(List.of("sha256:used", "sha256:unused"));
        cache.bundles.put(runtime.bundleDir(id), "sha256:used");

        assertThat(collector.collect()).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(collector.collect()).containsExactly("sha256:unused");
        assertThat(cache.cached).containsExactly("sha256:used");
    }

    @Test
    void an_image_keeps_its_grace_period_after_its_last_instance_is_removed() {
        UUID id = UUID.randomUUID();
        runtime.start(assignment(id, Isolation.SHARED, DesiredState.RUNNING), null);
        cache.cached.add("sha256:app");
        cache.bundles.put(runtime.bundleDir(id), "sha256:app");
        clock.advance(Duration.ofHours(1));
        collector.collect();

        runtime.remove(id);
        clock.advance(Duration.ofMinutes(9));
        assertThat(collector.collect()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(collector.collect()).containsExactly("sha256:app");
    }

    @Test
    void an_ended_instance_still_holds_its_image() {
        UUID id = UUID.randomUUID();
        runtime.start(assignment(id, Isolation.SHARED, DesiredState.RUNNING), null);
        runtime.exit(id, 1, null);
        cache.cached.add("sha256:app");
        cache.bundles.put(runtime.bundleDir(id), "sha256:app");
        clock.advance(Duration.ofHours(1));
        assertThat(collector.collect()).isEmpty();
    }
}
