package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.edge.core.CustomDomain;
import dev.nanofleet.edge.core.DeploymentRoute;
import dev.nanofleet.edge.core.RouteSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads {@code GET /v1/edge/routes} from control-api with the edge's own identity. */
final class ControlApiRoutes implements RouteSource {

    private static final Logger LOG = Logger.getLogger(ControlApiRoutes.class);

    /** control-api's answer, as far as the edge reads it. */
    record Listed(UUID deploymentId, String tenant, String name, int containerPort, List<ListedBackend> backends,
            List<ListedDomain> domains) {
    }

    record ListedBackend(UUID instanceId, String node, String address, int port) {
    }

    record ListedDomain(String hostname, String certificateSha256) {
    }

    private final ControlApiClient controlApi;
    private final ObjectMapper json;

    ControlApiRoutes(ControlApiClient controlApi, ObjectMapper json) {
        this.controlApi = controlApi;
        this.json = json;
    }

    @Override
    public List<DeploymentRoute> fetch() throws IOException, InterruptedException {
        Listed[] listed = json.readValue(controlApi.get("/v1/edge/routes"), Listed[].class);
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
            List<CustomDomain> domains = new ArrayList<>();
            for (ListedDomain domain : route.domains() == null ? List.<ListedDomain>of() : route.domains()) {
                if (domain.hostname() != null && domain.certificateSha256() != null) {
                    domains.add(new CustomDomain(domain.hostname(), domain.certificateSha256()));
                }
            }
            result.add(new DeploymentRoute(String.valueOf(route.deploymentId()), route.tenant(), route.name(),
                    backends, domains));
        }
        return result;
    }
}
