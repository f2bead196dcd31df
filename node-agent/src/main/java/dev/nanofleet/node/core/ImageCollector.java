package dev.nanofleet.node.core;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes cached images no instance on the node has used for a grace period, like Nomad's image GC delay: an image
 * in use by any instance the runtimes know (running or ended, since an ended one may restart from its bundle) stays.
 * The grace period keeps an image that was just pulled for an instance still being prepared, and spares a redeploy of
 * the same image a pull. Use times live in memory: after an agent restart every cached image starts a new grace
 * period. Called from one thread.
 */
public final class ImageCollector {

    private static final Logger LOG = System.getLogger(ImageCollector.class.getName());

    private final ImageCache cache;
    private final List<ContainerRuntime> runtimes;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Instant> lastUsed = new HashMap<>();

    public ImageCollector(ImageCache cache, List<ContainerRuntime> runtimes, Clock clock, Duration grace) {
        this.cache = cache;
        this.runtimes = List.copyOf(runtimes);
        this.clock = clock;
        this.grace = grace;
    }

    /** One collection; returns the digests it removed. */
    public List<String> collect() {
        Instant now = clock.instant();
        Set<String> inUse = new HashSet<>();
        for (ContainerRuntime runtime : runtimes) {
            List<RuntimeInstance> instances;
            try {
                instances = runtime.list();
            } catch (RuntimeFailure e) {
                // without the full picture nothing may go
                LOG.log(Level.WARNING, "event=image.gc.skipped reason=\"{0}\"", e.getMessage());
                return List.of();
            }
            for (RuntimeInstance instance : instances) {
                cache.digestOf(runtime.bundleDir(instance.id())).ifPresent(inUse::add);
            }
        }
        inUse.forEach(digest -> lastUsed.put(digest, now));
        List<String> removed = new ArrayList<>();
        Set<String> cached = cache.cachedDigests();
        for (String digest : cached) {
            Instant used = lastUsed.computeIfAbsent(digest, d -> now);
            if (inUse.contains(digest) || now.isBefore(used.plus(grace))) {
                continue;
            }
            try {
                cache.remove(digest);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=image.gc.failed digest={0} reason=\"{1}\"", digest, e.getMessage());
                continue;
            }
            lastUsed.remove(digest);
            removed.add(digest);
            LOG.log(Level.INFO, "event=image.removed digest={0} unusedFor={1}", digest, Duration.between(used, now));
        }
        lastUsed.keySet().retainAll(cached);
        return removed;
    }
}
