package dev.nanofleet.controlapi.enrollment;

import dev.nanofleet.controlapi.security.BearerSecret;
import dev.nanofleet.controlapi.node.NodeLabels;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeEnrollment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a join token and an enrollment may be. Pure, so the rules are tested directly. A join token lives minutes to
 * days, not months: it is handed to a machine being set up, and a long-lived one lying around is a way into the fleet.
 */
public final class JoinTokenRules {

    public static final int MIN_TTL_SECONDS = 60;
    public static final int MAX_TTL_SECONDS = 7 * 24 * 3600;
    public static final int DEFAULT_TTL_SECONDS = 3600;
    public static final int MAX_USES = 1000;
    public static final int MAX_DESCRIPTION = 256;

    private JoinTokenRules() {
    }

    /** The refusals for the request, as field errors; empty when it may be created. */
    public static List<FieldError> check(JoinTokenRequests.Create request) {
        if (request == null) {
            return List.of(new FieldError("", "a JSON object is required"));
        }
        List<FieldError> errors = new ArrayList<>();
        Integer ttl = request.ttlSeconds();
        if (ttl != null && (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS)) {
            errors.add(new FieldError("ttlSeconds", "must be between " + MIN_TTL_SECONDS + " (a minute) and "
                    + MAX_TTL_SECONDS + " (7 days)"));
        }
        Integer uses = request.uses();
        if (uses != null && (uses < 1 || uses > MAX_USES)) {
            errors.add(new FieldError("uses", "must be between 1 and " + MAX_USES));
        }
        if (request.labels() != null) {
            NodeLabels.validate("labels", request.labels(), errors);
        }
        String description = request.description();
        if (description != null && (description.length() > MAX_DESCRIPTION
                || description.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION
                    + " characters without control characters"));
        }
        return errors;
    }

    public static Duration ttl(JoinTokenRequests.Create request) {
        return Duration.ofSeconds(request.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : request.ttlSeconds());
    }

    public static int uses(JoinTokenRequests.Create request) {
        return request.uses() == null ? 1 : request.uses();
    }

    /**
     * The refusals of an enrollment's fields. The join token is only checked for presence here: whether it is valid
     * is one answer (401) whatever is wrong with it.
     */
    public static List<FieldError> check(NodeEnrollment enrollment) {
        if (enrollment == null) {
            return List.of(new FieldError("", "a JSON object is required"));
        }
        List<FieldError> errors = new ArrayList<>();
        if (enrollment.joinToken() == null || enrollment.joinToken().isBlank()) {
            errors.add(new FieldError("joinToken", "is required: the nfj_... token an operator created"));
        }
        if (enrollment.name() == null || !enrollment.name().matches(NodeApi.NODE_NAME_PATTERN)) {
            errors.add(new FieldError("name", NodeApi.NODE_NAME_RULE));
        }
        if (enrollment.credential() != null && !BearerSecret.NODE_CREDENTIAL.wellFormed(enrollment.credential())) {
            errors.add(new FieldError("credential", "when given, " + BearerSecret.NODE_CREDENTIAL.prefix()
                    + " and 43 base64url characters (256 random bits)"));
        }
        return errors;
    }
}
