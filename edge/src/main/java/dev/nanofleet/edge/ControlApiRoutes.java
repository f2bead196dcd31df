package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.edge.core.DeploymentRoute;
import dev.nanofleet.edge.core.RouteSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads {@code GET /v1/edge/routes} from control-api with the edge's own identity. */
final class ControlApiRoutes implements RouteSource {

    private static final Logger LOG = Logger.getLogger(ControlApiRoutes.class);

    /** control-api's answer, as far as the edge reads it. */
    record Listed(UUID deploymentId, String tenant, String name, int containerPort, List<ListedBackend> backends) {
    }

    record ListedBackend(UUID instanceId, String node, String address, int port) {
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI routes;
    private final ClientCredentialsToken token;

    ControlApiRoutes(HttpClient http, ObjectMapper json, String controlApiUrl, ClientCredentialsToken token) {
        this.http = http;
        this.json = json;
        this.routes = URI.create(controlApiUrl.replaceAll("/+$", "") + "/v1/edge/routes");
        this.token = token;
    }

    @Override
    public List<DeploymentRoute> fetch() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(routes).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.get()).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            token.forget();
        }
        if (response.statusCode() != 200) {
            throw new IOException("control-api answered " + response.statusCode() + " to GET " + routes);
        }
        Listed[] listed = json.readValue(response.body(), Listed[].class);
        List<DeploymentRoute> result = new ArrayList<>();
        for (Listed route : listed) {
            List<Backend> backends = new ArrayList<>();
            for (ListedBackend backend : route.backends() == null ? List.<ListedBackend>of() : route.backends()) {
                try {
                    backends.add(new Backend(backend.address(), backend.port()));
                } catch (IllegalArgumentException e) {
                    LOG.warnf("route %s/%s: backend of instance %s left out: %s", route.tenant(), route.name(),
                            backend.instanceId(), e.getMessage());
                }
            }
            result.add(new DeploymentRoute(String.valueOf(route.deploymentId()), route.tenant(), route.name(),
                    backends));
        }
        return result;
    }
}
