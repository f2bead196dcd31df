package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.edge.core.CustomDomain;
import dev.nanofleet.edge.core.DeploymentRoute;
import dev.nanofleet.edge.core.RouteSource;
import dev.nanofleet.edge.core.TcpPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads {@code GET /v1/edge/routes} from control-api with the edge's own identity. */
final class ControlApiRoutes implements RouteSource {

    private static final Logger LOG = Logger.getLogger(ControlApiRoutes.class);

    /**
     * control-api's answer, as far as the edge reads it. {@code containerPort} is null for a deployment with tcp ports
     * only; {@code tcpPorts} is absent from a control-api older than tcp ports.
     */
    record Listed(UUID deploymentId, String tenant, String name, Integer containerPort, List<ListedBackend> backends,
            List<ListedDomain> domains, List<ListedTcpPort> tcpPorts) {
    }

    record ListedTcpPort(int containerPort, int edgePort, List<ListedBackend> backends) {
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
            List<Backend> backends = backends(route, route.backends());
            List<TcpPort> tcpPorts = new ArrayList<>();
            for (ListedTcpPort tcp : route.tcpPorts() == null ? List.<ListedTcpPort>of() : route.tcpPorts()) {
                try {
                    tcpPorts.add(new TcpPort(tcp.containerPort(), tcp.edgePort(), backends(route, tcp.backends())));
                } catch (IllegalArgumentException e) {
                    LOG.warnf("event=edge.tcp-port-left-out tenant=%s name=%s reason=%s", route.tenant(),
                            route.name(), e.getMessage());
                }
            }
            List<CustomDomain> domains = new ArrayList<>();
            for (ListedDomain domain : route.domains() == null ? List.<ListedDomain>of() : route.domains()) {
                if (domain.hostname() != null && domain.certificateSha256() != null) {
                    domains.add(new CustomDomain(domain.hostname(), domain.certificateSha256()));
                }
            }
            result.add(new DeploymentRoute(String.valueOf(route.deploymentId()), route.tenant(), route.name(),
                    backends, domains, tcpPorts));
        }
        return result;
    }

    private static List<Backend> backends(Listed route, List<ListedBackend> listed) {
        List<Backend> backends = new ArrayList<>();
        for (ListedBackend backend : listed == null ? List.<ListedBackend>of() : listed) {
            try {
                backends.add(new Backend(backend.address(), backend.port()));
            } catch (IllegalArgumentException e) {
                LOG.warnf("route %s/%s: backend of instance %s left out: %s", route.tenant(), route.name(),
                        backend.instanceId(), e.getMessage());
            }
        }
        return backends;
    }
}
