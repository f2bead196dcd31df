package dev.nanofleet.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.ImageReference;
import dev.nanofleet.node.core.ImagePullException;
import dev.nanofleet.node.core.ImagePullException.Kind;
import dev.nanofleet.node.core.ImageCache;
import dev.nanofleet.node.core.ImageStore;
import dev.nanofleet.nodeapi.RegistryCredentials;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.node.host.RootfsOverlay;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pulls with {@code skopeo} into one OCI layout used as a cache (tagged by manifest digest, so a tag that moves is
 * pulled again and an unchanged one is not), and unpacks each digest once with {@code umoci} into
 * {@code images/unpacked/<digest>}, whose {@code rootfs} every instance of that image shares read-only (see
 * {@link RootfsOverlay}); an instance's bundle gets its own {@code config.json} and an empty mount point. What the
 * registry said a reference's digest is holds for a short while ({@link DigestResolutions}), so a start from the cache
 * asks the registry nothing.
 *
 * <p>
 * Only registry references ({@link ImageReference}, e.g. {@code host:port/repo:tag}) are pulled, always through
 * skopeo's {@code docker://} transport. Any other transport ({@code oci:/path:tag}, {@code oci-archive:...},
 * {@code dir:...}) is refused before skopeo runs: it would make the node read a local path a tenant chose.
 *
 * <p>
 * Thread-safe: pulls, unpacks and removals are serialised, because skopeo and umoci both rewrite the cache's
 * {@code index.json}; asking the registry for a digest and making a bundle are not.
 */
public final class SkopeoImageStore implements ImageStore, ImageCache {

    /** Written into each bundle: the digest it was unpacked from, so the image GC knows what is in use. */
    static final String DIGEST_FILE = "nanofleet-image-digest";

    private static final Logger LOG = System.getLogger(SkopeoImageStore.class.getName());
    private static final Duration INSPECT_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(15);

    /** How long a registry's answer for a reference holds unless configured otherwise. */
    public static final Duration DEFAULT_DIGEST_TTL = Duration.ofSeconds(15);

    private final Path cache;
    private final Path unpackedRoot;
    private final DigestResolutions resolutions;
    private final boolean tlsVerify;
    private final boolean rootless;
    /** skopeo, with the mirrors' registries.conf when there are any. */
    private final List<String> skopeo;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();

    /** The image store with {@link #DEFAULT_DIGEST_TTL}. */
    public SkopeoImageStore(Path stateDir, boolean tlsVerify) {
        this(stateDir, tlsVerify, DEFAULT_DIGEST_TTL, Clock.systemUTC());
    }

    /**
     * @param stateDir the agent's state directory; the cache goes to {@code images/oci}, unpacked images to
     *        {@code images/unpacked}
     * @param tlsVerify false only for a local registry without TLS (dev and tests)
     * @param digestTtl how long the registry's answer for a reference holds (see {@link DigestResolutions}); zero:
     *        the registry is asked on every start
     */
    public SkopeoImageStore(Path stateDir, boolean tlsVerify, Duration digestTtl, Clock clock) {
        this(stateDir, tlsVerify, digestTtl, clock, RegistryMirrors.NONE);
    }

    /**
     * As {@link #SkopeoImageStore(Path, boolean, Duration, Clock)}, pulling through {@code mirrors}; their
     * {@code registries.conf} is written to {@code images/registries.conf}.
     */
    public SkopeoImageStore(Path stateDir, boolean tlsVerify, Duration digestTtl, Clock clock,
            RegistryMirrors mirrors) {
        this.cache = stateDir.resolve("images").resolve("oci");
        this.unpackedRoot = stateDir.resolve("images").resolve("unpacked");
        this.resolutions = new DigestResolutions(clock, digestTtl);
        this.tlsVerify = tlsVerify;
        this.rootless = !"root".equals(System.getProperty("user.name"));
        try {
            Files.createDirectories(cache.getParent());
            if (mirrors.isEmpty()) {
                this.skopeo = List.of("skopeo");
            } else {
                Path conf = cache.getParent().resolve("registries.conf");
                Files.writeString(conf, mirrors.registriesConf(!tlsVerify));
                // a hidden flag of skopeo, and the one place its registries.conf can be named per command
                this.skopeo = List.of("skopeo", "--registries-conf", conf.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public PreparedImage prepare(String imageReference, RegistryCredentials credentials, Path bundleDir) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(imageReference);
        } catch (IllegalArgumentException e) {
            throw new ImagePullException(Kind.INVALID_REFERENCE, e.getMessage());
        }
        String source = reference.dockerTransport();
        long began = System.nanoTime();
        Optional<String> known = resolutions.lookup(imageReference, credentials);
        boolean cached = false;
        Path authFile = null;
        try {
            String digest;
            boolean asked = false;
            if (known.isPresent() && isCached(known.get())) {
                digest = known.get();
                cached = true;
            } else {
                asked = true;
                authFile = credentials != null ? writeAuthFile(reference, credentials) : null;
                // outside the lock: asking the registry touches nothing of the cache, and other starts need not wait
                digest = inspectDigest(imageReference, source, authFile);
            }
            Path unpacked;
            lock.lock();
            try {
                String tag = tag(digest);
                cached = cached || cachedTags().contains(tag);
                if (!cached) {
                    List<String> copy = new ArrayList<>(skopeo);
                    copy.addAll(List.of("copy", "--quiet"));
                    copy.add("--src-tls-verify=" + tlsVerify);
                    if (authFile != null) {
                        copy.addAll(List.of("--src-authfile", authFile.toString()));
                    }
                    copy.addAll(List.of(source, "oci:" + cache + ":" + tag));
                    Exec.Result result = Exec.run(copy, COPY_TIMEOUT);
                    if (!result.ok()) {
                        throw classify(imageReference, result);
                    }
                }
                if (asked) {
                    // only a fresh answer starts a new TTL: a remembered one must not keep itself alive
                    resolutions.remember(imageReference, credentials, digest);
                }
                unpacked = unpacked(digest, imageReference);
            } finally {
                lock.unlock();
            }
            long pulled = System.nanoTime();
            // a bundle of its own (the runtimes patch its config.json), over the image's shared tree
            RootfsOverlay.unmount(bundleDir);
            Files2.deleteTree(bundleDir);
            Files.createDirectories(RootfsOverlay.mountPoint(bundleDir));
            Files.copy(unpacked.resolve("config.json"), bundleDir.resolve("config.json"));
            Files.writeString(bundleDir.resolve(DIGEST_FILE), digest);
            LOG.log(Level.INFO, "event=image.prepared image={0} digest={1} cached={2} pullMs={3} bundleMs={4}",
                    imageReference, digest, cached, (pulled - began) / 1_000_000,
                    (System.nanoTime() - pulled) / 1_000_000);
            return new PreparedImage(imageReference, digest, bundleDir, unpacked.resolve("rootfs"));
        } catch (IOException e) {
            throw new ImagePullException(Kind.OTHER, "cannot prepare image " + imageReference + ": " + e.getMessage());
        } catch (RuntimeFailure e) {
            throw new ImagePullException(Kind.OTHER, "cannot prepare image " + imageReference + ": " + e.getMessage());
        } finally {
            if (authFile != null) {
                InstanceFiles.deleteQuietly(authFile);
            }
        }
    }

    @Override
    public boolean mustPull(String imageReference, RegistryCredentials credentials) {
        Optional<String> known = resolutions.lookup(imageReference, credentials);
        return known.isEmpty() || !isCached(known.get());
    }

    /**
     * The image's bundle, unpacked once per digest into {@code images/unpacked/<digest>} (into a temporary directory
     * first, renamed when complete, so a crash mid-unpack leaves nothing that looks whole). Call with the lock held.
     */
    private Path unpacked(String digest, String imageReference) throws IOException {
        Path target = unpackedDir(digest);
        if (Files.isDirectory(target.resolve("rootfs")) && Files.exists(target.resolve("config.json"))) {
            return target;
        }
        Path temporary = unpackedRoot.resolve(".unpacking-" + tag(digest));
        Files2.deleteTree(temporary);
        Files2.deleteTree(target);
        Files.createDirectories(unpackedRoot);
        long began = System.nanoTime();
        List<String> unpack = new ArrayList<>(List.of("umoci", "unpack"));
        if (rootless) {
            unpack.add("--rootless");
        }
        unpack.addAll(List.of("--image", cache + ":" + tag(digest), temporary.toString()));
        Exec.Result result = Exec.run(unpack, COPY_TIMEOUT);
        if (!result.ok()) {
            Files2.deleteTree(temporary);
            throw new ImagePullException(Kind.OTHER, "cannot unpack image " + imageReference + ": " + result
                    .message());
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(Level.INFO, "event=image.unpacked digest={0} unpackMs={1}", digest, (System.nanoTime() - began)
                / 1_000_000);
        return target;
    }

    private Path unpackedDir(String digest) {
        return unpackedRoot.resolve(tag(digest));
    }

    private boolean isCached(String digest) {
        lock.lock();
        try {
            return cachedTags().contains(tag(digest));
        } finally {
            lock.unlock();
        }
    }

    /** Tags are digests with ':' spelled '-' (a tag may not hold ':'). */
    private static String tag(String digest) {
        return digest.replace(':', '-');
    }

    @Override
    public Set<String> cachedDigests() {
        lock.lock();
        try {
            Set<String> digests = new TreeSet<>();
            for (String tag : cachedTags()) {
                // tags are digests with ':' spelled '-' (a tag may not hold ':')
                int dash = tag.indexOf('-');
                if (dash > 0) {
                    digests.add(tag.substring(0, dash) + ":" + tag.substring(dash + 1));
                }
            }
            return digests;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> digestOf(Path bundleDir) {
        try {
            return Optional.of(Files.readString(bundleDir.resolve(DIGEST_FILE)).strip()).filter(d -> !d.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void remove(String digest) {
        lock.lock();
        try {
            resolutions.forgetDigest(digest);
            Path unpacked = unpackedDir(digest);
            if (RootfsOverlay.inUseAsLower(unpacked.resolve("rootfs"))) {
                throw new IllegalStateException("an instance's rootfs still shows " + digest);
            }
            Files2.deleteTree(unpacked);
            Exec.Result untag = Exec.run(List.of("umoci", "rm", "--image", cache + ":" + tag(digest)), COPY_TIMEOUT);
            if (!untag.ok()) {
                throw new IllegalStateException("umoci rm failed: " + untag.message());
            }
            Exec.Result gc = Exec.run(List.of("umoci", "gc", "--layout", cache.toString()), COPY_TIMEOUT);
            if (!gc.ok()) {
                throw new IllegalStateException("umoci gc failed: " + gc.message());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A containers-auth.json for the image's registry only, readable by root alone, so the password never shows on a
     * command line (where every user of the host could read it in /proc).
     */
    private Path writeAuthFile(ImageReference reference, RegistryCredentials credentials) throws IOException {
        String registryHost = reference.registry();
        String auth = Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
        Path file = Files.createTempFile(cache.getParent(), "auth-", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, json.createObjectNode().set("auths", json.createObjectNode().set(registryHost,
                json.createObjectNode().put("auth", auth))).toString());
        return file;
    }

    private String inspectDigest(String reference, String source, Path authFile) {
        // --no-tags: the digest is all a start needs, and listing tags would ask the registry itself, not its mirror
        List<String> inspect = new ArrayList<>(skopeo);
        inspect.addAll(List.of("inspect", "--no-tags", "--format", "{{.Digest}}", "--tls-verify=" + tlsVerify));
        if (authFile != null) {
            inspect.addAll(List.of("--authfile", authFile.toString()));
        }
        inspect.add(source);
        Exec.Result result = Exec.run(inspect, INSPECT_TIMEOUT);
        if (!result.ok()) {
            throw classify(reference, result);
        }
        String digest = result.stdout().strip();
        if (!digest.matches("[a-z0-9]+:[a-f0-9]{32,}")) {
            throw new ImagePullException(Kind.OTHER, "the registry gave no digest for " + reference);
        }
        return digest;
    }

    private List<String> cachedTags() {
        Path index = cache.resolve("index.json");
        List<String> tags = new ArrayList<>();
        if (!Files.exists(index)) {
            return tags;
        }
        try {
            for (JsonNode m : json.readTree(index.toFile()).path("manifests")) {
                JsonNode name = m.path("annotations").path("org.opencontainers.image.ref.name");
                if (!name.isMissingNode()) {
                    tags.add(name.asText());
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "event=image.cache.unreadable path={0} reason=\"{1}\"", index, e.getMessage());
        }
        return tags;
    }

    /** Turns skopeo's words into a kind and a sentence a tenant can act on. */
    static ImagePullException classify(String reference, Exec.Result result) {
        String message = result.message();
        String lower = message.toLowerCase(Locale.ROOT);
        if (result.exitCode() == 127) {
            return new ImagePullException(Kind.OTHER, "skopeo is not installed on this node: " + message);
        }
        if (result.exitCode() == 124) {
            return new ImagePullException(Kind.UNREACHABLE, "registry for " + reference + " did not answer in time");
        }
        if (lower.contains("manifest unknown") || lower.contains("name unknown") || lower.contains("not found")
                || lower.contains("no such file or directory") || lower.contains("does not exist")) {
            return new ImagePullException(Kind.NOT_FOUND,
                    "image " + reference + " not found in its registry (" + lastLine(message) + ")");
        }
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied")
                || lower.contains("401") || lower.contains("403")) {
            return new ImagePullException(Kind.UNAUTHORIZED,
                    "not authorized to pull " + reference + ": " + lastLine(message));
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("i/o timeout")
                || lower.contains("dial tcp") || lower.contains("network is unreachable") || lower.contains("tls")
                || lower.contains("x509") || lower.contains("eof")) {
            return new ImagePullException(Kind.UNREACHABLE,
                    "registry for " + reference + " unreachable: " + lastLine(message));
        }
        if (lower.contains("invalid reference") || lower.contains("invalid image name")) {
            return new ImagePullException(Kind.INVALID_REFERENCE,
                    "invalid image reference " + reference + ": " + lastLine(message));
        }
        return new ImagePullException(Kind.OTHER, "cannot pull " + reference + ": " + lastLine(message));
    }

    private static String lastLine(String message) {
        String[] lines = message.strip().split("\n");
        String last = lines[lines.length - 1];
        // skopeo prefixes 'time="..." level=fatal msg="..."'; keep the msg
        int msg = last.indexOf("msg=\"");
        if (msg >= 0) {
            last = last.substring(msg + 5);
            if (last.endsWith("\"")) {
                last = last.substring(0, last.length() - 1);
            }
        }
        last = last.replace("\\\"", "\"");
        int afterName = last.startsWith("Error parsing image name") ? last.indexOf("\": ") : -1;
        return afterName >= 0 ? last.substring(afterName + 3) : last;
    }
}
