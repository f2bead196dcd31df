package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.node.AgentAddress;
import dev.nanofleet.controlapi.node.AgentUrlRules;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;

/**
 * Reads an instance's output from the node agent that runs it ({@code GET http://<agent>/v1/agent/instances/{id}/logs})
 * with a grant valid for that node and that instance only ({@link LogsSigner}), and hands the body on as it arrives.
 * The request URL is built from the registered address and encoded parts, never by appending to the node's text.
 * Cancelling the returned stream (the tenant hung up) cancels the agent's response, which closes that connection and
 * ends the agent's follower.
 */
@ApplicationScoped
public class NodeAgentLogs {

    private static final Logger LOG = Logger.getLogger(NodeAgentLogs.class);

    private final HttpClient http;
    private final LogsConfig config;
    private final LogsSigner signer;

    NodeAgentLogs(LogsConfig config, LogsSigner signer) {
        this.config = config;
        this.signer = signer;
        // HTTP/1.1: agents speak plain HTTP, and a refused h2c upgrade is a wasted round trip; never follow a redirect
        // (an agent must not send control-api on to another host)
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(config.agentTimeout()).build();
    }

    /**
     * Opens the agent's log stream; returns once the agent answered with 200, so failures become problems before any
     * byte of the body is sent.
     *
     * @throws ProblemException 409 when the agent has no output for the instance (not started there yet), 502 when the
     *         agent answers anything else, 503 when it cannot be reached or its registered URL is not one control-api
     *         calls
     */
    public Multi<byte[]> open(String node, String agentUrl, UUID instanceId, int tail, boolean follow) {
        AgentAddress agent = agent(node, agentUrl, "the logs of instance '" + instanceId + "'");
        URI uri = agent.uri(NodeApi.AGENT_INSTANCE_LOGS.replace("{instanceId}", instanceId.toString()),
                "tail=" + tail + "&follow=" + follow);
        try {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(uri, signer.grant(node, instanceId));
            int status = response.statusCode();
            if (status == 200) {
                return Multi.createFrom().publisher(response.body()).map(NodeAgentLogs::bytes);
            }
            if (status == 404) {
                throw new ProblemException(ProblemType.CONFLICT, "no logs yet: instance '" + instanceId
                        + "' has not been started on node '" + node + "'");
            }
            LOG.warnf("logs refused node=%s instance=%s status=%d", node, instanceId, status);
            throw new ProblemException(ProblemType.NODE_BAD_ANSWER, "node '" + node + "' answered " + status
                    + " when asked for the logs of instance '" + instanceId + "'");
        } catch (IOException e) {
            LOG.warnf("logs unreachable node=%s agent=%s instance=%s reason=%s", node, agent, instanceId,
                    e.toString());
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "node '" + node
                    + "' cannot be reached for the logs of instance '" + instanceId + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "interrupted while asking node '" + node + "'");
        }
    }

    /**
     * Opens the stream of {@code node}'s own log ({@code GET http://<agent>/v1/agent/node/logs}) with a grant for that
     * node's logs only; returns once the agent answered with 200.
     *
     * @param source {@link NodeApi#NODE_LOG_SOURCE_AGENT} or {@link NodeApi#NODE_LOG_SOURCE_KERNEL}
     * @throws ProblemException 409 with the agent's reason when the log cannot be read on that node, 502 when the
     *         agent answers anything else (an agent too old to serve node logs answers 404), 503 when it cannot be
     *         reached or its registered URL is not one control-api calls
     */
    public Multi<byte[]> openNode(String node, String agentUrl, String source, int tail, boolean follow) {
        AgentAddress agent = agent(node, agentUrl, "its logs");
        HttpRequest request = request(agent.uri(NodeApi.AGENT_NODE_LOGS, "source=" + source + "&tail=" + tail
                + "&follow=" + follow), signer.nodeGrant(node));
        try {
            // a 200's body is streamed; a 409's (a short problem saying why) is read to pass its reason on
            HttpResponse<AgentAnswer> response = http.send(request, info -> info.statusCode() == 200
                    ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofPublisher(),
                            body -> new AgentAnswer(body, null))
                    : info.statusCode() == 409
                            ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                                    bytes -> new AgentAnswer(null, bytes))
                            : HttpResponse.BodySubscribers.replacing(new AgentAnswer(null, null)));
            int status = response.statusCode();
            if (status == 200) {
                return Multi.createFrom().publisher(response.body().stream()).map(NodeAgentLogs::bytes);
            }
            if (status == 409) {
                throw new ProblemException(ProblemType.CONFLICT, "node '" + node + "': "
                        + AgentProblems.detail(response.body().problem(), "its " + source + " log is not readable"));
            }
            LOG.warnf("node logs refused node=%s source=%s status=%d", node, source, status);
            throw new ProblemException(ProblemType.NODE_BAD_ANSWER, "node '" + node + "' answered " + status
                    + " when asked for its " + source + " log");
        } catch (IOException e) {
            LOG.warnf("node logs unreachable node=%s agent=%s reason=%s", node, agent, e.toString());
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "node '" + node
                    + "' cannot be reached for its " + source + " log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.NODE_UNREACHABLE, "interrupted while asking node '" + node + "'");
        }
    }

    /** An agent's answer: the streamed body of a 200, or the problem of a 409. */
    private record AgentAnswer(Flow.Publisher<List<ByteBuffer>> stream, byte[] problem) {
    }

    /** The node's registered agent address; one registered before the rules held must register again. */
    private static AgentAddress agent(String node, String agentUrl, String what) {
        try {
            return AgentUrlRules.parse(agentUrl);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + node + "' registered an agent URL"
                    + " control-api does not call, so " + what + " cannot be read until it registers again");
        }
    }

    private HttpRequest request(URI uri, String grant) {
        return HttpRequest.newBuilder(uri).timeout(config.agentTimeout()).header("Authorization", "Bearer " + grant)
                .header("Accept", "text/plain").GET().build();
    }

    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(URI uri, String grant)
            throws IOException, InterruptedException {
        // only a 200's body is wanted; any other is discarded so the connection is released
        return http.send(request(uri, grant), info -> info.statusCode() == 200
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
