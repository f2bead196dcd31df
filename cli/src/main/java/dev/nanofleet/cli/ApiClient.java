package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The public API over HTTP: JSON in, JSON out, problem JSON turned into {@link ApiException}, and an unreachable API
 * into exit code {@link ExitCodes#UNREACHABLE}. The one place that builds API requests; it returns the API's JSON
 * unchanged, so {@code --json} prints what the API said. One class for both services the CLI talks to, control-api
 * and tenant-billing: they take the same credentials and answer the same problem JSON, only their base URLs differ.
 *
 * <p>
 * Not thread-safe beyond what {@link HttpClient} is; a command uses one instance on one thread.
 */
public final class ApiClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Which service a client talks to, in the words an error uses.
     *
     * @param name what to call it ({@code the API})
     * @param configuredBy where its URL comes from, for the hint when it cannot be reached
     */
    public record Service(String name, String configuredBy) {
        public static final Service CONTROL = new Service("the API", "NANOFLEET_API_URL or --api-url");
        public static final Service BILLING = new Service("the billing API", "NANOFLEET_BILLING_URL or --billing-url");
    }

    /**
     * A file the API sends (an invoice's PDF or CSV); the caller closes it.
     *
     * @param contentDisposition the header as sent, or null
     */
    public record Download(String contentType, String contentDisposition, InputStream body) implements Closeable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI base;
    private final Service service;
    private final Supplier<String> token;

    /** A client of control-api. */
    public ApiClient(HttpClient http, ObjectMapper json, URI base, Supplier<String> token) {
        this(http, json, base, Service.CONTROL, token);
    }

    /** @param token asked once per request, so a refresh between polls is picked up; may throw {@link CliException} */
    public ApiClient(HttpClient http, ObjectMapper json, URI base, Service service, Supplier<String> token) {
        this.http = http;
        this.json = json;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.service = service;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return call(request(path).GET());
    }

    public JsonNode post(String path, Object body) {
        return call(request(path).header("Content-Type", "application/json").POST(body(body)));
    }

    /** A POST without a body (node actions). */
    public JsonNode post(String path) {
        return call(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode put(String path, Object body) {
        return call(request(path).header("Content-Type", "application/json").PUT(body(body)));
    }

    public JsonNode patch(String path, Object body) {
        return call(request(path).header("Content-Type", "application/json").method("PATCH", body(body)));
    }

    /** Returns the answer's JSON, or null when it has no body (202, 204). */
    public JsonNode delete(String path) {
        return call(request(path).DELETE());
    }

    /** A text stream (instance logs); the caller closes it. No request time-out: a followed stream stays open. */
    public InputStream stream(String path) {
        return stream(path, "text/plain", null);
    }

    /**
     * A Server-Sent Events stream (the followed event log); the caller closes it.
     *
     * @param lastEventId the id of the last event received before a reconnect, or null
     */
    public InputStream events(String path, String lastEventId) {
        return stream(path, "text/event-stream", lastEventId);
    }

    /** A file as bytes, unchanged: its body is not decoded as text on the way. */
    public Download download(String path, String accept) {
        HttpResponse<InputStream> response = open(HttpRequest.newBuilder(resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", accept));
        return new Download(response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("Content-Disposition").orElse(null), response.body());
    }

    private InputStream stream(String path, String accept, String lastEventId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path)).header("Accept", accept);
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        return open(builder).body();
    }

    /** Sends a GET whose answer is read as a stream; an error status becomes its problem. */
    private HttpResponse<InputStream> open(HttpRequest.Builder builder) {
        HttpRequest request = authorized(builder).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            try (InputStream body = response.body()) {
                throw new ApiException(Problem.parse(response.statusCode(),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8), json));
            } catch (IOException e) {
                throw new ApiException(Problem.parse(response.statusCode(), null, json));
            }
        }
        return response;
    }

    /** The bearer token for a connection this client does not make itself (the exec WebSocket). */
    public String token() {
        return token.get();
    }

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json"));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.header("Authorization", "Bearer " + token.get());
    }

    private URI resolve(String path) {
        return URI.create(base + path);
    }

    private HttpRequest.BodyPublisher body(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body as JSON", e);
        }
    }

    private JsonNode call(HttpRequest.Builder builder) {
        HttpResponse<String> response = send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new ApiException(Problem.parse(response.statusCode(), response.body(), json));
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.API_ERROR, service.name() + " answered something that is not JSON: "
                    + e.getMessage());
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + service.name() + " at " + base + " ("
                    + describe(e) + "); is it up? (" + service.configuredBy() + " say where it is)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while calling " + service.name(), e);
        }
    }

    /** An I/O failure in words: java.net.http's ConnectException often has no message at all. */
    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
