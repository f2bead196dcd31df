package dev.nanofleet.node.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.AssignmentList;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeEnrollment;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.UsageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * control-api's node API and its enrollment endpoint, in memory on 127.0.0.1, for tests of the HTTP adapter and the
 * whole agent. Like control-api, it issues a node credential for the join token (as often as the token's uses allow,
 * once per name while that name's credential is valid), checks the credential on every node API call (401 for any
 * other) and the node name in the path (403 for another node). Like control-api it serves the assignment watch: every
 * change of {@link #assignments} is announced on the open stream ({@code event: changed}), one stream per node (a
 * second ends the first), with a heartbeat comment every {@link #HEARTBEAT}; set {@link #watchSupported} false to
 * answer the watch 404 as an older control-api does.
 */
public final class StubControlApi implements AutoCloseable {
    /** The join token this stub accepts. */
    public static final String JOIN_TOKEN = "nfj_" + "J".repeat(43);

    private final HttpServer server;
    private final String nodeName;
    /** Enrollments the join token still allows. */
    public final AtomicInteger joinTokenUses = new AtomicInteger(100);
    public final AtomicInteger credentialsIssued = new AtomicInteger();
    /** How many of the next enrollments succeed without their answer reaching the node (the connection closes). */
    public final AtomicInteger enrollmentAnswersToLose = new AtomicInteger();
    public final AtomicInteger heartbeats = new AtomicInteger();
    public final List<NodeRegistration> registrations = new CopyOnWriteArrayList<>();
    /** The key this stub signs log grants with; its public half is in every registration answer. */
    public final KeyPair grantKey = GrantKeys.fromSeed(GrantKeys.newSeed());
    public static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(1);
    /** The private networks the assignment list carries. */
    public volatile List<dev.nanofleet.nodeapi.PrivateNetwork> privateNetworks = List.of();
    /** What the node is assigned; a change is announced on the watch stream as control-api's trigger does. */
    public final Map<UUID, Assignment> assignments = new ConcurrentHashMap<>() {
        @Override
        public Assignment put(UUID key, Assignment value) {
            Assignment previous = super.put(key, value);
            announce();
            return previous;
        }

        @Override
        public Assignment remove(Object key) {
            Assignment previous = super.remove(key);
            announce();
            return previous;
        }

        @Override
        public void clear() {
            super.clear();
            announce();
        }
    };
    /** False: the watch answers 404, as a control-api from before the watch. */
    public volatile boolean watchSupported = true;
    public final AtomicInteger watchesOpened = new AtomicInteger();
    public final AtomicInteger assignmentFetches = new AtomicInteger();
    private final Object watchLock = new Object();
    private long watchVersion;
    private long watchStream;
    public final List<Map.Entry<UUID, InstanceStatusReport>> reports = new CopyOnWriteArrayList<>();
    public final Set<UUID> foreign = ConcurrentHashMap.newKeySet();
    public final List<UsageReport.Sample> usage = new CopyOnWriteArrayList<>();
    /** The OS upgrade the next assignment lists carry; null for none. */
    public volatile dev.nanofleet.nodeapi.OsUpgradeOrder osUpgrade;
    /** Node OS releases by version: each file's bytes by name; the manifest is made from them. */
    public final Map<String, Map<String, byte[]>> osReleases = new ConcurrentHashMap<>();
    /** Served in place of a file's real bytes (a file changed on the way); by file name. */
    public final Map<String, byte[]> tamperedFiles = new ConcurrentHashMap<>();
    public final List<dev.nanofleet.nodeapi.OsUpgradeReport> osUpgradeReports = new CopyOnWriteArrayList<>();
    private final Set<String> validCredentials = ConcurrentHashMap.newKeySet();

    public StubControlApi(String nodeName) {
        this.nodeName = nodeName;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(NodeApi.ENROLLMENTS, this::enroll);
        server.createContext("/v1/node-api/nodes/", this::nodeApi);
        // a watch holds its handler's thread: the others need threads of their own
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-control-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes every credential issued so far invalid, as an operator removing the node would. */
    public void revokeCredentials() {
        validCredentials.clear();
    }

    /** Makes {@code credential} valid, as if this stub had issued it (a credential from an earlier run). */
    public void accept(String credential) {
        validCredentials.add(credential);
    }

    public List<InstanceStatusReport> reportsFor(UUID id) {
        return reports.stream().filter(e -> e.getKey().equals(id)).map(Map.Entry::getValue).toList();
    }

    private void enroll(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            respond(ex, 405, "");
            return;
        }
        NodeEnrollment enrollment = EventCodec.mapper().readValue(ex.getRequestBody().readAllBytes(),
                NodeEnrollment.class);
        if (!nodeName.equals(enrollment.name())) {
            respond(ex, 400, "{\"status\":400,\"errors\":[{\"field\":\"name\"}]}");
            return;
        }
        if (JOIN_TOKEN.equals(enrollment.joinToken()) && enrollment.credential() != null
                && validCredentials.contains(enrollment.credential())) {
            // the same enrollment again (its answer was lost): the same answer, no second use
            respond(ex, 201, EventCodec.mapper().writeValueAsString(new NodeEnrollment.Enrolled(nodeName,
                    enrollment.credential())));
            return;
        }
        if (!JOIN_TOKEN.equals(enrollment.joinToken()) || joinTokenUses.get() <= 0) {
            respond(ex, 401, "{\"status\":401}");
            return;
        }
        if (!validCredentials.isEmpty()) {
            respond(ex, 409, "{\"status\":409}");
            return;
        }
        joinTokenUses.decrementAndGet();
        credentialsIssued.incrementAndGet();
        String credential = enrollment.credential() != null
                ? enrollment.credential()
                : "nfn_" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(11) + credentialsIssued.get();
        validCredentials.add(credential);
        if (enrollmentAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.close(); // enrolled, but the node never hears it: as when its request timed out
            return;
        }
        respond(ex, 201, EventCodec.mapper().writeValueAsString(new NodeEnrollment.Enrolled(nodeName, credential)));
    }

    private void nodeApi(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validCredentials.contains(auth.substring(7))) {
            respond(ex, 401, "");
            return;
        }
        String[] parts = ex.getRequestURI().getPath().split("/");
        // /v1/node-api/nodes/{node}/...
        if (parts.length < 6 || !parts[4].equals(nodeName)) {
            respond(ex, 403, "");
            return;
        }
        var mapper = EventCodec.mapper();
        byte[] body = ex.getRequestBody().readAllBytes();
        String method = ex.getRequestMethod();
        switch (parts[5]) {
            case "registration" -> {
                registrations.add(mapper.readValue(body, NodeRegistration.class));
                respond(ex, 200, "{\"name\":\"" + nodeName + "\",\"" + NodeApi.LOGS_GRANT_KEY + "\":\""
                        + GrantKeys.encode(grantKey.getPublic()) + "\"}");
            }
            case "heartbeat" -> {
                heartbeats.incrementAndGet();
                respond(ex, 204, null);
            }
            case "assignments" -> {
                if (parts.length > 6 && parts[6].equals("watch")) {
                    watch(ex);
                    return;
                }
                assignmentFetches.incrementAndGet();
                respond(ex, 200, mapper.writeValueAsString(new AssignmentList(nodeName,
                        new ArrayList<>(assignments.values()), privateNetworks, osUpgrade)));
            }
            case "instances" -> {
                UUID id = UUID.fromString(parts[6]);
                if (!"PUT".equals(method) || foreign.contains(id)) {
                    respond(ex, 404, "");
                    return;
                }
                reports.add(Map.entry(id, mapper.readValue(body, InstanceStatusReport.class)));
                respond(ex, 204, null);
            }
            case "os-releases" -> osRelease(ex, parts);
            case "os-upgrade" -> {
                osUpgradeReports.add(mapper.readValue(body, dev.nanofleet.nodeapi.OsUpgradeReport.class));
                respond(ex, 200, "{}");
            }
            case "usage" -> {
                usage.addAll(mapper.readValue(body, UsageReport.class).samples());
                respond(ex, 204, null);
            }
            default -> respond(ex, 404, "");
        }
    }

    /** {@code os-releases/{version}/manifest} and {@code os-releases/{version}/files/{file}}. */
    private void osRelease(HttpExchange ex, String[] parts) throws IOException {
        Map<String, byte[]> release = parts.length > 7 ? osReleases.get(parts[6]) : null;
        if (release == null) {
            respond(ex, 404, "");
        } else if (parts[7].equals("manifest")) {
            Map<String, dev.nanofleet.nodeapi.OsReleaseManifest.FileDigest> files = new java.util.TreeMap<>();
            release.forEach((name, bytes) -> files.put(name, new dev.nanofleet.nodeapi.OsReleaseManifest.FileDigest(
                    sha256(bytes), bytes.length)));
            respond(ex, 200, EventCodec.mapper().writeValueAsString(new dev.nanofleet.nodeapi.OsReleaseManifest(
                    parts[6], files)));
        } else if (parts[7].equals("files") && parts.length > 8 && release.containsKey(parts[8])) {
            byte[] bytes = tamperedFiles.getOrDefault(parts[8], release.get(parts[8]));
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        } else {
            respond(ex, 404, "");
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
        ex.close();
    }

    /** Announces a change of the assignments on the open watch stream. */
    public void announce() {
        synchronized (watchLock) {
            watchVersion++;
            watchLock.notifyAll();
        }
    }

    private void watch(HttpExchange ex) throws IOException {
        if (!watchSupported) {
            respond(ex, 404, "");
            return;
        }
        long stream;
        long sent;
        synchronized (watchLock) {
            stream = ++watchStream;
            sent = watchVersion;
            watchLock.notifyAll(); // ends the previous stream
        }
        watchesOpened.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (var out = ex.getResponseBody()) {
            out.write(": watching\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String message;
                synchronized (watchLock) {
                    if (watchStream == stream && watchVersion == sent) {
                        watchLock.wait(HEARTBEAT.toMillis());
                    }
                    if (watchStream != stream) {
                        return;
                    }
                    message = watchVersion == sent
                            ? ": heartbeat\n\n"
                            : "event: " + NodeApi.WATCH_CHANGED + "\ndata: " + watchVersion + "\n\n";
                    sent = watchVersion;
                }
                out.write(message.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the agent hung up, or the stub stops
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        synchronized (watchLock) {
            watchStream++; // ends the open stream
            watchLock.notifyAll();
        }
        server.stop(0);
    }
}
