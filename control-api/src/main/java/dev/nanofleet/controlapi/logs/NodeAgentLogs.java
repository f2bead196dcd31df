package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.nodeapi.NodeApi;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads an instance's output from the node agent that runs it ({@code GET <agentUrl>/v1/agent/instances/{id}/logs})
 * with control-api's own token, and hands the body on as it arrives. Cancelling the returned stream (the tenant hung
 * up) cancels the agent's response, which closes that connection and ends the agent's follower.
 */
@ApplicationScoped
public class NodeAgentLogs {

    private static final Logger LOG = Logger.getLogger(NodeAgentLogs.class);

    private final HttpClient http;
    private final LogsConfig config;
    private final Optional<ControlPlaneToken> token;

    NodeAgentLogs(LogsConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer) {
        this.config = config;
        // HTTP/1.1: agents speak plain HTTP, and a refused h2c upgrade is a wasted round trip
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.agentTimeout()).build();
        Optional<URI> tokenUrl = config.tokenUrl().or(() -> issuer.map(
                i -> URI.create((i.endsWith("/") ? i : i + "/") + "protocol/openid-connect/token")));
        this.token = config.clientSecret().filter(s -> !s.isBlank()).flatMap(secret -> tokenUrl
                .map(url -> new ControlPlaneToken(http, url, config.clientId(), secret, clock)));
    }

    /**
     * Opens the agent's log stream; returns once the agent answered with 200, so failures become problems before any
     * byte of the body is sent.
     *
     * @throws ProblemException 503 when control-api has no identity for agents, 409 when the agent has no output for
     *         the instance yet, 502 when the agent cannot be reached or refuses
     */
    public Multi<byte[]> open(String node, String agentUrl, UUID instanceId, int tail, boolean follow) {
        ControlPlaneToken identity = token.orElseThrow(() -> new ProblemException(ProblemType.NODE_UNAVAILABLE,
                "control-api has no identity to read logs from nodes: set nanofleet.logs.client-secret"));
        URI uri = URI.create((agentUrl.endsWith("/") ? agentUrl.substring(0, agentUrl.length() - 1) : agentUrl)
                + NodeApi.AGENT_INSTANCE_LOGS.replace("{instanceId}", instanceId.toString()) + "?tail=" + tail
                + "&follow=" + follow);
        try {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(uri, identity.get());
            if (response.statusCode() == 401) {
                identity.invalidate(); // e.g. Keycloak restarted with new keys: one retry with a fresh token
                response = send(uri, identity.get());
            }
            int status = response.statusCode();
            if (status == 200) {
                return Multi.createFrom().publisher(response.body()).map(NodeAgentLogs::bytes);
            }
            if (status == 404) {
                throw new ProblemException(ProblemType.CONFLICT, "no logs yet: instance '" + instanceId
                        + "' has not been started on node '" + node + "'");
            }
            LOG.warnf("logs refused node=%s instance=%s status=%d", node, instanceId, status);
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "node '" + node + "' answered " + status
                    + " when asked for the logs of instance '" + instanceId + "'");
        } catch (IOException e) {
            LOG.warnf("logs unreachable node=%s agentUrl=%s instance=%s reason=%s", node, agentUrl, instanceId,
                    e.toString());
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "node '" + node
                    + "' cannot be reached for the logs of instance '" + instanceId + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "interrupted while asking node '" + node + "'");
        }
    }

    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(URI uri, String bearer)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.agentTimeout())
                .header("Authorization", "Bearer " + bearer).header("Accept", "text/plain").GET().build();
        // only a 200's body is wanted; any other is discarded so the connection is released
        return http.send(request, info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.ofPublisher()
                : HttpResponse.BodySubscribers.replacing(null));
    }

    private static byte[] bytes(List<ByteBuffer> buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        byte[] out = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(out, at, n);
            at += n;
        }
        return out;
    }
}
