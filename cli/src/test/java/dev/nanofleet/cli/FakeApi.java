package dev.nanofleet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server that answers like the API (and like an OIDC provider): JSON bodies, problem JSON for errors, a
 * 404 problem for any route not given. Records every request so tests can assert what the CLI sent.
 */
final class FakeApi implements AutoCloseable {

    /**
     * @param lastEventId the SSE reconnect header, or null
     * @param accept the Accept header, or null
     */
    record Request(String method, String path, String authorization, String contentType, String body,
            String lastEventId, String accept) {
    }

    /** @param headers more response headers (Content-Disposition) */
    record Response(int status, String contentType, byte[] bytes, Map<String, String> headers) {

        Response(int status, String contentType, String body) {
            this(status, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        String body() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface Route {
        Response answer(Request request);
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD /path} (path with its query string, if any). */
    FakeApi on(String method, String path, Route route) {
        routes.put(method + " " + path, route);
        return this;
    }

    FakeApi on(String method, String path, int status, String json) {
        return on(method, path, r -> json(status, json));
    }

    static Response json(int status, String body) {
        return new Response(status, "application/json", body);
    }

    static Response problem(int status, String title, String detail) {
        return new Response(status, "application/problem+json", "{\"type\":\"https://nanofleet.dev/problems/x\","
                + "\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
        Request request = new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst(
                "Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange
                        .getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Last-Event-ID"), exchange.getRequestHeaders().getFirst(
                        "Accept"));
        requests.add(request);
        Route route = routes.get(request.method() + " " + path);
        Response response = route == null
                ? problem(404, "Not Found", "no route " + request.method() + " " + path)
                : route.answer(request);
        byte[] body = response.bytes() == null ? new byte[0] : response.bytes();
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
