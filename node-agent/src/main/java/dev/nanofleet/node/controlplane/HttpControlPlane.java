package dev.nanofleet.node.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.node.core.ControlPlane;
import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.AssignmentList;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import dev.nanofleet.nodeapi.OsUpgradeOrder;
import dev.nanofleet.nodeapi.OsUpgradeReport;
import dev.nanofleet.nodeapi.PrivateNetwork;
import dev.nanofleet.nodeapi.UsageReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The node API over HTTP with the node's own credential as bearer ({@link NodeCredential}). JSON goes through the
 * contract's mapper. A 401 means the credential was revoked (an operator removed the node) or control-api's data was
 * reset: it is logged as such, and no call is sent for a back-off (5 s doubling to 5 min) so the loops do not hammer
 * control-api with a credential it refused; after it, calls try again. Thread-safe.
 */
public final class HttpControlPlane implements ControlPlane {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_REFUSAL_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_REFUSAL_BACKOFF = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(HttpControlPlane.class);

    private final HttpClient http;
    private final URI baseUrl;
    private final String nodeName;
    private final NodeCredential credential;
    private final Clock clock;
    private final ObjectMapper mapper = EventCodec.mapper();
    private volatile Consumer<List<PrivateNetwork>> privateNetworks = networks -> {
    };
    private volatile Consumer<OsUpgradeOrder> osUpgrades = order -> {
    };
    private Duration refusalBackoff;
    private Instant refusedUntil = Instant.MIN;

    public HttpControlPlane(HttpClient http, URI baseUrl, String nodeName, NodeCredential credential, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.nodeName = nodeName;
        this.credential = credential;
        this.clock = clock;
    }

    @Override
    public PublicKey register(NodeRegistration registration) {
        HttpResponse<String> response = send("POST", NodeApi.REGISTRATION, null, json(registration));
        expect2xx(response, "registration");
        try {
            String key = mapper.readTree(response.body()).path(NodeApi.LOGS_GRANT_KEY).asText(null);
            if (key == null) {
                throw new ControlPlaneException("control-api's registration answer has no " + NodeApi.LOGS_GRANT_KEY);
            }
            return GrantKeys.decode(key);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ControlPlaneException("control-api sent an unreadable registration answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void heartbeat() {
        expect2xx(send("POST", NodeApi.HEARTBEAT, null, ""), "heartbeat");
    }

    /**
     * Hands each fetched list's private networks to {@code listener}, on the fetching thread before the list is
     * returned: a tenant's network is in place before its instances start. The listener must not throw.
     */
    public void onPrivateNetworks(Consumer<List<PrivateNetwork>> listener) {
        this.privateNetworks = listener;
    }

    /**
     * Hands each fetched list's OS upgrade order (null when there is none) to {@code listener}, on the fetching thread;
     * the listener must return at once and not throw.
     */
    public void onOsUpgrade(Consumer<OsUpgradeOrder> listener) {
        this.osUpgrades = listener;
    }

    /** A node OS release's manifest ({@link NodeApi#OS_RELEASE_MANIFEST}). */
    public OsReleaseManifest osReleaseManifest(String version) {
        HttpResponse<String> response = send("GET", osReleasePath(NodeApi.OS_RELEASE_MANIFEST, version, null), null,
                null);
        expect2xx(response, "node OS release manifest");
        try {
            return mapper.readValue(response.body(), OsReleaseManifest.class);
        } catch (JsonProcessingException e) {
            throw new ControlPlaneException("control-api sent an unreadable release manifest: " + e
                    .getOriginalMessage(), e);
        }
    }

    /** One file of a node OS release as it arrives; the caller closes the stream. */
    public InputStream openOsReleaseFile(String version, String file) {
        URI uri = uri(osReleasePath(NodeApi.OS_RELEASE_FILE, version, file), null);
        checkNotRefused();
        // no overall timeout: a slot image takes as long as the link needs; the connect timeout still applies
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential.get())
                .header("Accept", "application/octet-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ControlPlaneException("control-api at " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while calling control-api", e);
        }
        if (response.statusCode() / 100 != 2) {
            closeQuietly(response.body());
        }
        accepted(response.statusCode() != 401);
        if (response.statusCode() / 100 != 2) {
            throw new ControlPlaneException("node OS release file " + file + " refused by control-api: HTTP "
                    + response.statusCode());
        }
        return response.body();
    }

    /** Reports the OS upgrade's progress ({@link NodeApi#OS_UPGRADE}). */
    public void reportOsUpgrade(OsUpgradeReport report) {
        expect2xx(send("PUT", NodeApi.OS_UPGRADE, null, json(report)), "OS upgrade report");
    }

    private static String osReleasePath(String template, String version, String file) {
        String path = template.replace("{version}", URLEncoder.encode(version, StandardCharsets.UTF_8));
        return file == null ? path : path.replace("{file}", URLEncoder.encode(file, StandardCharsets.UTF_8));
    }

    @Override
    public List<Assignment> fetchAssignments() {
        HttpResponse<String> response = send("GET", NodeApi.ASSIGNMENTS, null, null);
        expect2xx(response, "assignments");
        try {
            AssignmentList list = mapper.readValue(response.body(), AssignmentList.class);
            privateNetworks.accept(list.privateNetworks());
            osUpgrades.accept(list.osUpgrade());
            return list.assignments() == null ? List.of() : list.assignments();
        } catch (JsonProcessingException e) {
            throw new ControlPlaneException("control-api sent an unreadable assignment list: " + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public ReportOutcome report(UUID instanceId, InstanceStatusReport report) {
        HttpResponse<String> response = send("PUT", NodeApi.INSTANCE_STATUS, instanceId, json(report));
        if (response.statusCode() == 404) {
            return ReportOutcome.NOT_THIS_NODE;
        }
        expect2xx(response, "status report");
        return ReportOutcome.ACCEPTED;
    }

    @Override
    public void reportUsage(UsageReport report) {
        expect2xx(send("POST", NodeApi.USAGE, null, json(report)), "usage report");
    }

    /**
     * Opens the assignment watch ({@link NodeApi#ASSIGNMENTS_WATCH}) for {@link AssignmentWatch}: whatever control-api
     * answers, with the body as a stream the caller closes. A 401 starts the refusal's back-off, as for every call.
     *
     * @throws ControlPlaneException when control-api cannot be reached, or while a refusal's back-off lasts
     */
    public WatchConnection openAssignmentWatch() {
        URI uri = uri(NodeApi.ASSIGNMENTS_WATCH, null);
        checkNotRefused();
        HttpResponse<InputStream> response = openStream(uri, credential.get());
        if (response.statusCode() == 401) {
            closeQuietly(response.body());
        }
        accepted(response.statusCode() != 401);
        return new WatchConnection(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body());
    }

    private HttpResponse<InputStream> openStream(URI uri, String token) {
        // the timeout bounds the wait for the answer's head only; the stream itself stays open
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ControlPlaneException("control-api at " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while calling control-api", e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // an answer we do not read
        }
    }

    private URI uri(String pathTemplate, UUID instanceId) {
        String path = pathTemplate.replace("{node}", URLEncoder.encode(nodeName, StandardCharsets.UTF_8));
        if (instanceId != null) {
            path = path.replace("{instanceId}", instanceId.toString());
        }
        return baseUrl.resolve(stripTrailingSlash(baseUrl.getPath()) + path);
    }

    private HttpResponse<String> send(String method, String pathTemplate, UUID instanceId, String body) {
        URI uri = uri(pathTemplate, instanceId);
        checkNotRefused();
        HttpResponse<String> response = exchange(method, uri, body, credential.get());
        accepted(response.statusCode() != 401);
        return response;
    }

    /** While a refusal's back-off lasts, calls fail at once. */
    private synchronized void checkNotRefused() {
        Instant now = clock.instant();
        if (now.isBefore(refusedUntil)) {
            throw new ControlPlaneException(revoked() + "; next try in "
                    + Duration.between(now, refusedUntil).toSeconds() + " s");
        }
    }

    private synchronized void accepted(boolean accepted) {
        if (accepted) {
            refusalBackoff = null;
            return;
        }
        refusalBackoff = refusalBackoff == null
                ? FIRST_REFUSAL_BACKOFF
                : refusalBackoff.multipliedBy(2).compareTo(MAX_REFUSAL_BACKOFF) > 0
                        ? MAX_REFUSAL_BACKOFF
                        : refusalBackoff.multipliedBy(2);
        refusedUntil = clock.instant().plus(refusalBackoff);
        LOG.errorf("event=agent.credential.refused backoffS=%d reason=\"%s\"", refusalBackoff.toSeconds(), revoked());
        throw new ControlPlaneException(revoked());
    }

    private String revoked() {
        return "control-api refused this node's credential (HTTP 401): it was revoked (an operator removed node '"
                + nodeName + "') or control-api's data was reset; instances keep running; to join again, delete "
                + credential.path() + " and start the agent with a new join token (nanofleet.node.join-token)";
    }

    private HttpResponse<String> exchange(String method, URI uri, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlPlaneException("control-api at " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while calling control-api", e);
        }
    }

    private static void expect2xx(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new ControlPlaneException(what + " refused by control-api: HTTP " + status
                    + (body.isBlank() ? "" : " " + body.substring(0, Math.min(300, body.length()))));
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
