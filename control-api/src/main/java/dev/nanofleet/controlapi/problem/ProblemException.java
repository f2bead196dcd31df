package dev.nanofleet.controlapi.problem;

import java.util.List;

/** Thrown anywhere in a request to answer with a problem detail; {@link ProblemMappers} renders it. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;
    private final QuotaExceeded quota;
    private final SpendHeld spendHeld;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, List<FieldError> errors) {
        super(detail);
        this.type = type;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.quota = null;
        this.spendHeld = null;
    }

    /** A create, scale or update that would take the tenant past a quota. */
    public ProblemException(QuotaExceeded quota) {
        super(quota.detail());
        this.type = ProblemType.QUOTA_EXCEEDED;
        this.errors = null;
        this.quota = quota;
        this.spendHeld = null;
    }

    /** A request that would spend more while the tenant's spend limit is reached. */
    public ProblemException(SpendHeld spendHeld) {
        super(spendHeld.detail());
        this.type = ProblemType.SPEND_LIMIT_REACHED;
        this.errors = null;
        this.quota = null;
        this.spendHeld = spendHeld;
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public QuotaExceeded quota() {
        return quota;
    }

    public SpendHeld spendHeld() {
        return spendHeld;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(ProblemType.VALIDATION, "the request has " + errors.size() + " invalid field"
                + (errors.size() == 1 ? "" : "s"), errors);
    }
}
