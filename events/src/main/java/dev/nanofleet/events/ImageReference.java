package dev.nanofleet.events;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference in a registry, in the grammar of the distribution project ({@code reference.go}):
 * {@code [domain[:port]/]path[:tag][@digest]}, e.g. {@code 127.0.0.1:5000/demo/hello:1}.
 *
 * <p>
 * Only registry references exist here. A transport such as {@code oci:/path:tag}, {@code oci-archive:/x.tar},
 * {@code dir:/x} or {@code docker://...} (what skopeo and podman also accept) is refused: it would let whoever names
 * the image make the node read a local path. Whoever pulls adds the registry transport itself.
 *
 * <p>
 * Pure value, thread-safe.
 *
 * @param domain the registry host with its port as written, or null when the reference names none (Docker Hub)
 * @param path the repository path, e.g. {@code demo/hello}
 * @param tag the tag, or null
 * @param digest the digest, e.g. {@code sha256:...}, or null
 */
public record ImageReference(String domain, String path, String tag, String digest) {

    /** What a distribution reference may be long, in all (the name alone is limited to 255 there). */
    public static final int MAX_LENGTH = 512;

    /** The registry of a reference without a domain, as Docker resolves it. */
    public static final String DEFAULT_REGISTRY = "docker.io";

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(?:(" + DOMAIN + ")/)?(" + PATH_COMPONENT + "(?:/"
            + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");

    /**
     * skopeo's and podman's transports other than a registry: a reference starting with one of these and a colon
     * means a local file or store, never an image to pull.
     */
    private static final Set<String> LOCAL_TRANSPORTS = Set.of("oci", "oci-archive", "dir", "docker-archive",
            "docker-daemon", "containers-storage", "ostree", "sif", "tarball");

    public ImageReference {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a repository path");
        }
    }

    /**
     * Parses a registry reference.
     *
     * @throws IllegalArgumentException with a sentence for the person who wrote it: why it is refused and what is
     *         accepted
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("an image reference is required");
        }
        if (reference.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an image reference must be at most " + MAX_LENGTH + " characters");
        }
        Optional<String> transport = transport(reference);
        if (transport.isPresent()) {
            throw new IllegalArgumentException("image reference '" + printable(reference) + "' names the transport '"
                    + transport.get() + ":'; only registry references like registry[:port]/repository[:tag][@digest]"
                    + " are accepted");
        }
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            throw new IllegalArgumentException("image reference '" + printable(reference)
                    + "' is not a registry reference like registry[:port]/repository[:tag][@digest]"
                    + " (repository in lower case)");
        }
        return new ImageReference(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** Whether {@code reference} is a registry reference {@link #parse} accepts. */
    public static boolean isValid(String reference) {
        try {
            parse(reference);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The registry host (with port) the image is pulled from: the domain when the first component is one (it holds a
     * '.' or a ':' or is {@code localhost}, as Docker decides), else {@link #DEFAULT_REGISTRY}.
     */
    public String registry() {
        if (domain != null && (domain.contains(".") || domain.contains(":") || domain.equals("localhost"))) {
            return domain;
        }
        return DEFAULT_REGISTRY;
    }

    /** The reference as skopeo takes it from a registry. */
    public String dockerTransport() {
        return "docker://" + this;
    }

    @Override
    public String toString() {
        return (domain == null ? "" : domain + "/") + path + (tag == null ? "" : ":" + tag) + (digest == null
                ? ""
                : "@" + digest);
    }

    /**
     * The transport a reference names, if any: {@code scheme://...}, {@code scheme:/path}, or one of the local
     * transports followed by a colon.
     */
    private static Optional<String> transport(String reference) {
        int colon = reference.indexOf(':');
        int slash = reference.indexOf('/');
        if (colon <= 0 || slash >= 0 && slash < colon) {
            return Optional.empty(); // no colon, or the colon is a port or a tag after a domain
        }
        String scheme = reference.substring(0, colon);
        boolean pathFollows = reference.startsWith("/", colon + 1);
        if (pathFollows || LOCAL_TRANSPORTS.contains(scheme.toLowerCase(Locale.ROOT))) {
            return Optional.of(printable(scheme));
        }
        return Optional.empty();
    }

    /** The reference with control characters shown as {@code ?}, so an error message stays one printable line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 128));
        s.codePoints().limit(128).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.codePointCount(0, s.length()) > 128 ? b + "..." : b.toString();
    }
}
