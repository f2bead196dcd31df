package dev.nanofleet.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from control-api with the edge's own identity; a refused token is dropped so the next call gets a new one. */
final class ControlApiClient {

    /** control-api answered, but not 200. */
    static final class NotOk extends IOException {
        final int status;

        NotOk(int status, URI uri) {
            super("control-api answered " + status + " to GET " + uri);
            this.status = status;
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final ClientCredentialsToken token;

    ControlApiClient(HttpClient http, String controlApiUrl, ClientCredentialsToken token) {
        this.http = http;
        this.baseUrl = controlApiUrl.replaceAll("/+$", "");
        this.token = token;
    }

    /** @param path e.g. {@code /v1/edge/routes}, already encoded */
    byte[] get(String path) throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + path);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.get()).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            token.forget();
        }
        if (response.statusCode() != 200) {
            throw new NotOk(response.statusCode(), uri);
        }
        return response.body();
    }
}
