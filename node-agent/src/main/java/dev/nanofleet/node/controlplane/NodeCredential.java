package dev.nanofleet.node.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeEnrollment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The node's own credential ({@code nfn_...}): the bearer of every node API call. Kept in
 * {@code <state-dir>/node-credential} (mode 0600); when the file is missing, the node enrolls once with its join token
 * ({@code POST /v1/node-enrollments}) and writes what control-api issued, atomically, before anything else is sent.
 * A join token is not needed again while the file exists. Thread-safe; enrollment happens at most once.
 *
 * <p>
 * The node makes the credential itself and proposes it ({@code node-credential.proposed}, kept until enrolled): when
 * an answer is lost after control-api took the join token's use (a slow node's request timing out), the retry sends
 * the same credential and control-api answers it again instead of refusing a used-up token.
 */
public final class NodeCredential {

    /** In the state directory. Read by deploy/launcher's {@code NodeAgentService}: change both together. */
    public static final String FILE = "node-credential";
    /** The credential proposed to control-api while enrolling, in the state directory next to {@link #FILE}. */
    static final String PROPOSED = FILE + ".proposed";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(NodeCredential.class);

    private final HttpClient http;
    private final URI baseUrl;
    private final String nodeName;
    private final Path file;
    private final Optional<String> joinToken;
    private final ObjectMapper mapper = EventCodec.mapper();
    private String credential;

    public NodeCredential(HttpClient http, URI baseUrl, String nodeName, Path stateDir, Optional<String> joinToken) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.nodeName = nodeName;
        this.file = file(stateDir);
        this.joinToken = joinToken.filter(t -> !t.isBlank());
        // a credential from an earlier run is read now, so a bad file stops the agent at start-up
        this.credential = Files.exists(file) ? read(file) : null;
    }

    public static Path file(Path stateDir) {
        return stateDir.resolve(FILE);
    }

    /** Whether the node has a credential already (then it needs no join token). */
    public static boolean stored(Path stateDir) {
        return Files.exists(file(stateDir));
    }

    /**
     * The credential, enrolling first when there is none yet.
     *
     * @throws ControlPlaneException when enrollment fails (control-api away, the join token refused, the name taken):
     *         the caller retries with back-off
     */
    public synchronized String get() {
        if (credential == null) {
            String token = joinToken.orElseThrow(() -> new ControlPlaneException("no node credential in " + file
                    + " and no join token (nanofleet.node.join-token) to enroll with"));
            Path proposal = file.resolveSibling(PROPOSED);
            String proposed = Files.exists(proposal) ? read(proposal) : propose(proposal);
            String issued = enroll(token, proposed);
            write(file, issued);
            try {
                Files.deleteIfExists(proposal);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + proposal, e);
            }
            credential = issued;
            LOG.infof("event=agent.enrolled node=%s credentialFile=%s", nodeName, file);
        }
        return credential;
    }

    /** Whether requests carry a credential read from the state directory or issued to this agent. */
    public synchronized boolean present() {
        return credential != null;
    }

    public Path path() {
        return file;
    }

    /** A new credential as control-api makes them (256 random bits after the prefix), stored before it is sent. */
    private static String propose(Path proposal) {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        String proposed = "nfn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        write(proposal, proposed);
        return proposed;
    }

    private String enroll(String token, String proposed) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(stripTrailingSlash(baseUrl.getPath())
                + NodeApi.ENROLLMENTS)).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(new NodeEnrollment(token, nodeName, proposed)))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlPlaneException("control-api at " + baseUrl + " unreachable for enrollment: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while enrolling", e);
        }
        switch (response.statusCode()) {
            case 201 -> {
                try {
                    NodeEnrollment.Enrolled enrolled = mapper.readValue(response.body(),
                            NodeEnrollment.Enrolled.class);
                    if (enrolled.credential() == null || enrolled.credential().isBlank()) {
                        throw new ControlPlaneException("control-api's enrollment answer has no credential");
                    }
                    return enrolled.credential();
                } catch (JsonProcessingException e) {
                    throw new ControlPlaneException("control-api sent an unreadable enrollment answer", e);
                }
            }
            case 401 -> throw new ControlPlaneException("control-api refused the join token"
                    + " (unknown, expired, revoked or used up): ask an operator for a new one");
            case 409 -> throw new ControlPlaneException("node name '" + nodeName + "' is enrolled already: an operator"
                    + " removes it first (DELETE /v1/nodes/" + nodeName + "), or this node keeps its " + file);
            default -> throw new ControlPlaneException("enrollment refused by control-api: HTTP "
                    + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    /** Reads the stored credential; a file others may read is made owner-only first (it is a bearer secret). */
    static String read(Path file) {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (stored.isEmpty()) {
                throw new IllegalStateException("the node credential file " + file + " is empty: delete it and"
                        + " start the agent with a join token (nanofleet.node.join-token)");
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node credential " + file, e);
        }
    }

    /** Writes the credential owner-only from its first byte, then moves it into place: never half a file. */
    static void write(Path file, String credential) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, credential + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the node credential in " + file, e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.substring(0, Math.min(300, body.length()));
    }

    static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
