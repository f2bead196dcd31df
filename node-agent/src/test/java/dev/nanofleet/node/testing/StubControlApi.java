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
 * other) and the node name in the path (403 for another node).
 */
public final class StubControlApi implements AutoCloseable {
    /** The join token this stub accepts. */
    public static final String JOIN_TOKEN = "nfj_" + "J".repeat(43);

    private final HttpServer server;
    private final String nodeName;
    /** Enrollments the join token still allows. */
    public final AtomicInteger joinTokenUses = new AtomicInteger(100);
    public final AtomicInteger credentialsIssued = new AtomicInteger();
    public final AtomicInteger heartbeats = new AtomicInteger();
    public final List<NodeRegistration> registrations = new CopyOnWriteArrayList<>();
    /** The key this stub signs log grants with; its public half is in every registration answer. */
    public final KeyPair grantKey = GrantKeys.fromSeed(GrantKeys.newSeed());
    public final Map<UUID, Assignment> assignments = new ConcurrentHashMap<>();
    public final List<Map.Entry<UUID, InstanceStatusReport>> reports = new CopyOnWriteArrayList<>();
    public final Set<UUID> foreign = ConcurrentHashMap.newKeySet();
    public final List<UsageReport.Sample> usage = new CopyOnWriteArrayList<>();
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
        if (!JOIN_TOKEN.equals(enrollment.joinToken()) || joinTokenUses.get() <= 0) {
            respond(ex, 401, "{\"status\":401}");
            return;
        }
        if (!validCredentials.isEmpty()) {
            respond(ex, 409, "{\"status\":409}");
            return;
        }
        joinTokenUses.decrementAndGet();
        String credential = "nfn_" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(11)
                + credentialsIssued.incrementAndGet();
        validCredentials.add(credential);
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
            case "assignments" -> respond(ex, 200,
                    mapper.writeValueAsString(new AssignmentList(nodeName, new ArrayList<>(assignments.values()))));
            case "instances" -> {
                UUID id = UUID.fromString(parts[6]);
                if (!"PUT".equals(method) || foreign.contains(id)) {
                    respond(ex, 404, "");
                    return;
                }
                reports.add(Map.entry(id, mapper.readValue(body, InstanceStatusReport.class)));
                respond(ex, 204, null);
            }
            case "usage" -> {
                usage.addAll(mapper.readValue(body, UsageReport.class).samples());
                respond(ex, 204, null);
            }
            default -> respond(ex, 404, "");
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

    @Override
    public void close() {
        server.stop(0);
    }
}
