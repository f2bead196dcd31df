package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.node.NodeEntity;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Finds where an instance's output can be read, and checks who may read it. */
@ApplicationScoped
public class InstanceLogsService {

    public static final int DEFAULT_TAIL = 100;
    public static final int MAX_TAIL = 10_000;

    private final EntityManager em;
    private final EndedInstances ended;

    InstanceLogsService(EntityManager em, EndedInstances ended) {
        this.em = em;
        this.ended = ended;
    }

    /** The node agent to ask. */
    public record Source(UUID instanceId, String node, String agentUrl) {
    }

    /** The validated query. */
    public record Query(int tail, boolean follow) {
    }

    /**
     * @param tenant the caller's tenant, or empty for an operator (who may read any instance)
     * @throws ProblemException 404 for an unknown instance or one of another tenant (the same answer, so ids of other
     *         tenants cannot be probed), 409 for one never placed, 410 for an ended one whose output is no longer kept,
     *         503 when its node serves no logs
     */
    @Transactional
    public Source source(Optional<Tenant> tenant, String id) {
        InstanceEntity instance = Ids.parse(id).map(u -> em.find(InstanceEntity.class, u)).orElse(null);
        if (instance == null || tenant.isPresent() && !instance.deployment().tenant.equals(tenant.get().id())) {
            throw ProblemException.notFound("instance '" + id + "'");
        }
        if (instance.nodeName() == null) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "no logs yet: instance '" + id + "' is not placed on a node"
                            + " (state " + EnumNames.json(instance.state()) + ")");
        }
        if (instance.state().isTerminal()) {
            String why = ended.whyDeleted(instance);
            if (why != null) {
                throw new ProblemException(ProblemType.LOGS_DELETED, "the output of instance '" + id
                        + "' (state " + EnumNames.json(instance.state()) + ") was deleted: " + why);
            }
        }
        NodeEntity node = em.find(NodeEntity.class, instance.nodeName());
        if (node == null || node.agentUrl == null) {
            throw new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + instance.nodeName()
                    + "' registered no agent URL, so control-api cannot read the logs of instance '" + id + "'");
        }
        return new Source(instance.id(), node.name, node.agentUrl);
    }

    /** Validates {@code tail} (1..{@value #MAX_TAIL}, default {@value #DEFAULT_TAIL}) and {@code follow} (boolean). */
    public static Query query(String tail, String follow) {
        List<FieldError> errors = new ArrayList<>();
        Query query = query(tail, follow, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return query;
    }

    /** Like {@link #query(String, String)}, adding what is wrong to {@code errors} (and a default in its place). */
    static Query query(String tail, String follow, List<FieldError> errors) {
        int lines = DEFAULT_TAIL;
        if (tail != null) {
            try {
                lines = Integer.parseInt(tail.strip());
                if (lines < 1 || lines > MAX_TAIL) {
                    errors.add(new FieldError("tail", "must be between 1 and " + MAX_TAIL + ", not " + lines));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("tail", "'" + tail + "' is not an integer between 1 and " + MAX_TAIL));
            }
        }
        boolean following = false;
        if (follow != null) {
            String f = follow.strip().toLowerCase(Locale.ROOT);
            if (f.equals("true") || f.equals("false")) {
                following = f.equals("true");
            } else {
                errors.add(new FieldError("follow", "'" + follow + "' is not a boolean (true or false)"));
            }
        }
        return new Query(lines, following);
    }

}
