package dev.nanofleet.tenantbilling.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * control-api's {@code GET /v1/me} as tenant-billing meets it: 200 with the token's description for a known token, 401
 * with a problem for a revoked or unknown one, and a 500 while told to fail. Counts the calls per token.
 */
public final class FakeControlApi implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private FakeControlApi(HttpServer server) {
        this.server = server;
    }

    public static FakeControlApi start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeControlApi api = new FakeControlApi(server);
            server.createContext("/v1/me", api::me);
            server.start();
            return api;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake control-api", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A token of a tenant with these scopes (JSON names, e.g. {@code "read"}). */
    public void tenantToken(String token, String tenant, String... scopes) {
        answers.put(token, me(tenant, false, scopes));
    }

    public void operatorToken(String token, String... scopes) {
        answers.put(token, me(null, true, scopes));
    }

    /** control-api's answer for this token, as given. */
    public void answer(String token, String meJson) {
        answers.put(token, meJson);
    }

    public void revoke(String token) {
        revoked.add(token);
    }

    /** control-api answers 500 for this token (a broken control-api). */
    public void failFor(String token) {
        failing.add(token);
    }

    public int calls(String token) {
        AtomicInteger count = calls.get(token);
        return count == null ? 0 : count.get();
    }

    private static String me(String tenant, boolean operator, String... scopes) {
        StringBuilder list = new StringBuilder();
        for (String scope : scopes) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
        }
        String id = java.util.UUID.randomUUID().toString();
        return "{\"subject\":\"token:" + id + "\",\"kind\":\"token\",\"tenant\":"
                + (tenant == null ? "null" : "\"" + tenant + "\"") + ",\"operator\":" + operator + ",\"scopes\":["
                + list + "],\"expiresAt\":\"2099-01-01T00:00:00Z\",\"tokenId\":\"" + id + "\"}";
    }

    private void me(HttpExchange exchange) throws IOException {
        try (exchange) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String token = header == null || !header.startsWith("Bearer ") ? "" : header.substring(7);
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            if (failing.contains(token)) {
                reply(exchange, 500, "application/problem+json",
                        "{\"type\":\"urn:nanofleet:problem:internal\",\"title\":\"Internal error\",\"status\":500}");
            } else if (revoked.contains(token)) {
                reply(exchange, 401, "application/problem+json", "{\"type\":\"urn:nanofleet:problem:unauthorized\","
                        + "\"title\":\"Authentication required\",\"status\":401,\"detail\":\"the API token is revoked\"}");
            } else if (answers.containsKey(token)) {
                reply(exchange, 200, "application/json", answers.get(token));
            } else {
                reply(exchange, 401, "application/problem+json", "{\"type\":\"urn:nanofleet:problem:unauthorized\","
                        + "\"title\":\"Authentication required\",\"status\":401,\"detail\":\"the API token is unknown\"}");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
