package dev.nanofleet.controlapi.nodeos;

import dev.nanofleet.controlapi.node.NodeEntity;
import dev.nanofleet.controlapi.node.NodeLabels;
import dev.nanofleet.controlapi.node.NodeService;
import dev.nanofleet.controlapi.node.NodeUpgradeEntity;
import dev.nanofleet.controlapi.node.NodeUpgradeView;
import dev.nanofleet.controlapi.node.UpgradeRules;
import dev.nanofleet.controlapi.node.UpgradeState;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.watch.AssignmentNotifications;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.nodeapi.OsUpgradeReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Node OS upgrades: an operator asks for one ({@link #request}), the node finds it in its assignment list and reports
 * its progress ({@link #report}); when it reports {@code draining} control-api drains it, and its registration after
 * the reboot ends the upgrade ({@link NodeService#register}). Each call locks the node's row first, so two requests
 * for one node, or a request and a report, are taken one after the other.
 */
@ApplicationScoped
public class NodeUpgrades {

    static final int MAX_DETAIL = 512;
    private static final Logger LOG = Logger.getLogger(NodeUpgrades.class);
    private static final Set<String> REPORTED_STATES = Set.of(OsUpgradeReport.INSTALLING, OsUpgradeReport.DRAINING,
            OsUpgradeReport.REBOOTING, OsUpgradeReport.FAILED);

    private final EntityManager em;
    private final NodeOsReleases releases;
    private final NodeService nodes;
    private final Clock clock;

    NodeUpgrades(EntityManager em, NodeOsReleases releases, NodeService nodes, Clock clock) {
        this.em = em;
        this.releases = releases;
        this.nodes = nodes;
        this.clock = clock;
    }

    /**
     * Asks node {@code nodeName} to upgrade to {@code version}.
     *
     * @throws ProblemException 404 for an unknown node; 400 naming {@code version} when it is missing or no listed
     *         release; 409 when no releases are configured, the node does not run the node OS, runs that version
     *         already or has an upgrade in progress
     */
    @Transactional
    public NodeUpgradeView request(String nodeName, String version, String actor) {
        NodeEntity node = em.find(NodeEntity.class, nodeName, LockModeType.PESSIMISTIC_WRITE);
        if (node == null || node.removedAt != null) {
            throw ProblemException.notFound("node '" + nodeName + "'");
        }
        if (version == null || version.isBlank()) {
            throw ProblemException.invalid(List.of(new FieldError("version", "is required")));
        }
        if (!releases.configured()) {
            throw new ProblemException(ProblemType.CONFLICT, "no node OS releases configured"
                    + " (nanofleet.control-api.node-os.releases-dir)");
        }
        if (releases.find(version).isEmpty()) {
            throw ProblemException.invalid(List.of(new FieldError("version", "is no node OS release control-api has;"
                    + " GET /v1/node-os-releases lists them")));
        }
        NodeUpgradeEntity upgrade = em.find(NodeUpgradeEntity.class, nodeName);
        UpgradeRules.refusal(nodeName, node.osVersion, upgrade == null ? null : upgrade.state, version)
                .ifPresent(reason -> {
                    throw new ProblemException(ProblemType.CONFLICT, reason);
                });
        Instant now = clock.instant();
        boolean fresh = upgrade == null;
        if (fresh) {
            upgrade = new NodeUpgradeEntity();
            upgrade.nodeName = nodeName;
        }
        upgrade.version = version;
        upgrade.fromVersion = node.osVersion;
        upgrade.state = UpgradeState.REQUESTED;
        upgrade.detail = null;
        upgrade.previousScheduling = null;
        upgrade.requestedBy = actor;
        upgrade.requestedAt = now;
        upgrade.updatedAt = now;
        if (fresh) {
            em.persist(upgrade);
        }
        em.flush();
        // the node's assignment watch wakes on commit, so it fetches the order at once
        em.createNativeQuery("SELECT pg_notify(?1, ?2)").setParameter(1, AssignmentNotifications.CHANNEL)
                .setParameter(2, nodeName).getSingleResult();
        LOG.infof("event=node.upgrade.requested node=%s from=%s to=%s actor=%s", nodeName, node.osVersion, version,
                actor);
        return NodeUpgradeView.of(upgrade);
    }

    /**
     * Records the node's progress. {@code draining} drains the node (what an operator had set is put back when it
     * comes up again).
     *
     * @throws ProblemException 400 for an invalid report; 409 when the node has no such upgrade under way or the
     *         report steps back
     */
    @Transactional
    public NodeUpgradeView report(String nodeName, OsUpgradeReport report) {
        List<FieldError> errors = validate(report);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        NodeEntity node = em.find(NodeEntity.class, nodeName, LockModeType.PESSIMISTIC_WRITE);
        NodeUpgradeEntity upgrade = node == null ? null : em.find(NodeUpgradeEntity.class, nodeName);
        UpgradeState next = UpgradeRules.afterReport(upgrade == null ? null : upgrade.state,
                upgrade == null ? "" : upgrade.version, report).orElseThrow(
                        () -> new ProblemException(
                                ProblemType.CONFLICT, "node '" + nodeName + "' has no upgrade to " + report.version()
                                        + " that can move to " + report.state()));
        if (next == UpgradeState.DRAINING && upgrade.previousScheduling == null) {
            upgrade.previousScheduling = node.scheduling;
            if (node.scheduling != NodeScheduling.DRAINING) {
                nodes.setScheduling(nodeName, NodeScheduling.DRAINING);
            }
        }
        if (next != upgrade.state) {
            LOG.infof("event=node.upgrade.%s node=%s version=%s detail=\"%s\"", EnumNames.json(next), nodeName,
                    upgrade.version, report.detail());
        }
        upgrade.state = next;
        upgrade.detail = report.detail();
        upgrade.updatedAt = clock.instant();
        return NodeUpgradeView.of(upgrade);
    }

    static List<FieldError> validate(OsUpgradeReport report) {
        List<FieldError> errors = new ArrayList<>();
        if (report == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        if (report.version() == null || report.version().isBlank()) {
            errors.add(new FieldError("version", "is required"));
        }
        if (report.state() == null || !REPORTED_STATES.contains(report.state())) {
            errors.add(new FieldError("state", "must be one of " + REPORTED_STATES.stream().sorted().toList()));
        }
        if (report.detail() != null && !NodeLabels.isPrintable(report.detail(), MAX_DETAIL)) {
            errors.add(new FieldError("detail", "must be at most " + MAX_DETAIL
                    + " characters without control characters"));
        }
        return errors;
    }
}
