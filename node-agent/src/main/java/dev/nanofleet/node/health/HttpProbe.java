package dev.nanofleet.node.health;

import dev.nanofleet.node.core.HealthChecks.Watch;
import dev.nanofleet.nodeapi.HealthCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@code GET http://<instance address>:<port><path>}, passed when the status is within {@code [statusMin, statusMax]}.
 * Redirects are not followed (a 301 is judged as a 301, and the node never follows an instance elsewhere); HTTP/1.1,
 * no body read. The address is the instance's own on the node, so the check reaches what the instance serves on its
 * network interface, exactly as another instance of the tenant would.
 */
public final class HttpProbe implements Probe {

    /** Kubernetes' success range, for a check that names none (control-api fills it in; an older one may not). */
    static final int DEFAULT_MIN = 200;
    static final int DEFAULT_MAX = 399;

    private final HttpClient client;

    public HttpProbe() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build());
    }

    HttpProbe(HttpClient client) {
        this.client = client;
    }

    @Override
    public ProbeResult probe(Watch target, Duration timeout) {
        HealthCheck check = target.check();
        String path = check.path() == null || check.path().isEmpty() ? "/" : check.path();
        if (target.address() == null) {
            return ProbeResult.fail("GET " + path + ": the instance has no network address");
        }
        URI uri;
        try {
            uri = URI.create("http://" + target.address() + ":" + check.port() + path);
        } catch (IllegalArgumentException e) {
            return ProbeResult.fail("GET " + path + ": not a valid path");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "nanofleet-health-check").build();
        try {
            // the connect timeout is the client's; the whole exchange is bounded by the request's timeout
            HttpResponse<Void> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
            int status = response.statusCode();
            String words = "HTTP " + status + " from " + path;
            boolean noRange = check.statusMin() == 0 && check.statusMax() == 0;
            int min = noRange ? DEFAULT_MIN : check.statusMin();
            int max = noRange ? DEFAULT_MAX : check.statusMax();
            return status >= min && status <= max
                    ? ProbeResult.pass(words)
                    : ProbeResult.fail(words);
        } catch (java.util.concurrent.CompletionException e) {
            return ProbeResult.fail(failure(path, check.port(), timeout, e.getCause()));
        }
    }

    private static String failure(String path, int port, Duration timeout, Throwable cause) {
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return "GET " + path + " on port " + port + " timed out after " + Probes.seconds(timeout);
        }
        if (cause instanceof ConnectException) {
            return "GET " + path + " on port " + port + ": connection refused";
        }
        if (cause instanceof IOException) {
            return "GET " + path + " on port " + port + ": " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName()
                    : cause.getMessage());
        }
        return "GET " + path + " on port " + port + ": " + cause;
    }
}
