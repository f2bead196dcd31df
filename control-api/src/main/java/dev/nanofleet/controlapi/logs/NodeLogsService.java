package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.node.NodeEntity;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.nodeapi.NodeApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds the agent that serves a node's own logs, and validates what an operator asks for. */
@ApplicationScoped
public class NodeLogsService {

    /** The sources a node serves, as the query names them. */
    public static final List<String> SOURCES = List.of(NodeApi.NODE_LOG_SOURCE_AGENT, NodeApi.NODE_LOG_SOURCE_KERNEL);

    private final EntityManager em;

    NodeLogsService(EntityManager em) {
        this.em = em;
    }

    /** The node agent to ask. */
    public record Agent(String node, String agentUrl) {
    }

    /** The validated query. */
    public record Query(String source, int tail, boolean follow) {
    }

    /**
     * @throws ProblemException 404 for a node that is not in the fleet (never registered or removed), 503 when it
     *         registered no agent URL
     */
    @Transactional
    public Agent agent(String name) {
        NodeEntity node = em.find(NodeEntity.class, name);
        if (node == null || node.removedAt != null) {
            throw ProblemException.notFound("node '" + name + "'");
        }
        if (node.agentUrl == null) {
            throw new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + name
                    + "' registered no agent URL, so control-api cannot read its logs");
        }
        return new Agent(node.name, node.agentUrl);
    }

    /**
     * Validates {@code source} ({@code agent}, the default, or {@code kernel}), {@code tail} and {@code follow} (as
     * an instance's logs take them).
     *
     * @throws ProblemException 400 naming each bad parameter
     */
    public static Query query(String source, String tail, String follow) {
        List<FieldError> errors = new ArrayList<>();
        String which = NodeApi.NODE_LOG_SOURCE_AGENT;
        if (source != null) {
            which = source.strip().toLowerCase(Locale.ROOT);
            if (!SOURCES.contains(which)) {
                errors.add(new FieldError("source", "'" + source + "' is not a log of a node: "
                        + String.join(" or ", SOURCES)));
            }
        }
        InstanceLogsService.Query rest = InstanceLogsService.query(tail, follow, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Query(which, rest.tail(), rest.follow());
    }
}
